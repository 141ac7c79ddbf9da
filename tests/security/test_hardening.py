"""Issue 20: what an attack on the running app got through, each shut at its root.

Points 4 and 7 (texted codes, Twilio webhooks) are in tests/sms/test_hardening.py, 9 in
tests/hotline/test_hardening.py, 13 in tests/alerts/test_hardening.py, and the load test
for 5 in tests/hotline/test_under_load.py.
"""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from aid import create_app
from aid.auth import service as accounts
from aid.auth.models import Role, User
from aid.extensions import db
from aid.hotline.models import HelpRequest
from aid.security.keys import generate as generate_keys
from aid.sms.backends import ConsoleBackend
from config import ProductionConfig
from tests.helpers import PASSWORD
from tests.volunteers import factories

HELP = {"category": "legal", "urgency": "now", "language": "es", "contact_method": "sms",
        "name": "Lupe", "phone": "(202) 555-0188", "consent": "y",
        "details": "Mi hermano fue detenido esta mañana"}


# -- 1. open redirect after sign-in ----------------------------------------------------------

@pytest.mark.parametrize("target", ["/\t/evil.example", "/\n/x", "/\\evil.example",
                                    " //evil.example", "/\r\n/evil.example"])
def test_sign_in_never_redirects_off_site_whatever_next_holds(aid_test, client, make_user, target):
    user = make_user()
    response = aid_test.post_form(client, "/login", {"email": user.email, "password": PASSWORD,
                                            "next": target})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_staff_after_the_code_step_stay_on_site_too(aid_test, client, make_user):
    user = make_user(Role.COORDINATOR)
    aid_test.post_form(client, "/login", {"email": user.email, "password": PASSWORD,
                                 "next": "/\t/evil.example"})
    db.session.refresh(user)
    response = aid_test.post_form(client, "/login/code", {"code": aid_test.totp_code(user)})
    # On their own dashboard, not wherever `next` pointed.
    assert response.status_code == 302 and response.headers["Location"] == "/coordinator"


def test_a_local_next_still_works(aid_test, client, make_user):
    user = make_user()
    response = aid_test.post_form(client, "/login", {"email": user.email, "password": PASSWORD,
                                            "next": "/my/data"})
    assert response.headers["Location"] == "/my/data"


# -- 2. logout ends the session at once ------------------------------------------------------

def test_a_cookie_copied_before_logout_opens_nothing_after(aid_test, app, client, make_user):
    user = make_user()
    aid_test.sign_in(client, user)
    copied = client.get_cookie("aid").value
    assert client.get("/my/data.json").status_code == 200
    aid_test.post_form(client, "/logout", {})
    thief = app.test_client()
    thief.set_cookie("aid", copied)
    response = thief.get("/my/data.json")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


# -- 3. the session cookie is no oracle ------------------------------------------------------

def _session_of(app, client) -> dict:
    serializer = app.session_interface.get_signing_serializer(app)
    return serializer.loads(client.get_cookie("aid").value)


def test_the_alert_manage_form_leaves_the_same_kind_of_cookie_for_any_number(aid_test, app,
                                                                            make_user):
    from aid.sms.subscriptions import Choices, subscribe

    subscribe("+12025550123", Choices(), "web")
    seen = []
    for number in ("(202) 555-0123", "(202) 555-0199"):  # subscribed, not subscribed
        client = app.test_client()
        aid_test.post_form(client, "/alerts/manage", {"phone": number})
        pending = _session_of(app, client)["sms_code"]
        seen.append(pending["id"])
    assert all(isinstance(value, str) for value in seen)
    assert len(seen[0]) == len(seen[1])


def test_the_withdraw_form_leaves_the_same_kind_of_cookie_either_way(aid_test, app):
    from aid.hotline.service import Intake, create_request

    area = factories.area("Eastside")
    req, _token = create_request(Intake("legal", "now", area.id, "es", "sms", "x",
                                        phone="+12025550188"))
    seen = []
    for code in (req.code, "AAA-AAA"):
        client = app.test_client()
        aid_test.post_form(client, "/help/withdraw", {"code": code, "phone": "(202) 555-0188"})
        seen.append(_session_of(app, client)["withdraw_code"])
    assert all(isinstance(value, str) for value in seen)
    assert len(seen[0]) == len(seen[1])


# -- 5. the 500 page gives the person's text back --------------------------------------------

def test_a_server_error_on_the_help_form_shows_what_was_typed(aid_test, app, client, monkeypatch):
    from aid.hotline import service

    def broken(*_args, **_kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(service, "create_request", broken)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    area = factories.area("Eastside")
    response = aid_test.post_form(client, "/help", HELP | {"area": str(area.id)})
    assert response.status_code == 500
    assert "Mi hermano fue detenido" in response.get_data(as_text=True)


# -- 6. crafted numbers are "not found", never a 500 -----------------------------------------

@pytest.mark.parametrize("path", ["/board?page=%C2%B2", "/board?page=99999999999999999999",
                                  "/board?area=99999999999999999999999", "/board?area=%C2%B2"])
def test_crafted_numbers_on_public_pages(client, path):
    assert client.get(path).status_code == 200


@pytest.mark.parametrize("path", ["/coordinator/requests/99999999999999999999999",
                                  "/coordinator/requests/2147483648",
                                  "/admin/audit?actor=99999999999999999999999",
                                  "/admin/audit?id=%C2%B2&actor=%C2%B2",
                                  "/coordinator/requests?page=%C2%B2"])
def test_crafted_numbers_on_staff_pages(client, signed_in, path):
    signed_in(Role.ADMIN)
    assert client.get(path).status_code in (200, 404)


def test_bounded_int_reads_only_plain_digits_in_range():
    from aid.security.numbers import MAX_ID, bounded_int

    assert bounded_int("42") == 42
    assert bounded_int("²") is None and bounded_int("٣") is None
    assert bounded_int(str(MAX_ID + 1)) is None and bounded_int("-1") is None
    assert bounded_int("0", low=1, default=1) == 1


# -- 8. sign-up does not tell whether an email has an account --------------------------------

def _signup(aid_test, client, email: str, area_id: int):
    data = {"display_name": "Lupe", "phone": "(202) 555-0143", "languages": ["es"],
            "skills": ["driver"], "areas": [str(area_id)], "availability": ["sat-am"],
            "referral": "Rosa", "email": email, "password": "another long password",
            "confirm": "another long password", "conduct": "y"}
    return aid_test.post_form(client, "/volunteer/signup", data)


def test_signing_up_with_a_known_email_answers_as_for_a_new_one(aid_test, app, make_user):
    staff = make_user(Role.COORDINATOR, email="rosa@example.org")
    area = factories.area("Eastside")
    new = _signup(aid_test, app.test_client(), "nuevo@example.org", area.id)
    known = _signup(aid_test, app.test_client(), "Rosa@Example.org", area.id)
    assert (new.status_code, new.headers["Location"]) == \
        (known.status_code, known.headers["Location"])
    assert new.get_data() == known.get_data()
    assert len(db.session.scalars(select(User)).all()) == 2  # nothing created for the known one
    # The account whose email was used hears about it at its next sign-in.
    client = app.test_client()
    aid_test.sign_in(client, staff)
    assert "Someone used your email address" in client.get("/").get_data(as_text=True)


# -- 10. one-time codes win once, however many sign-ins race ----------------------------------

def _stale_copy(user: User) -> User:
    """The account as a parallel request read it, before this one wrote."""
    with Session(db.engine) as other:
        stale = other.get(User, user.id)
        _ = list(stale.recovery_codes)
        other.expunge(stale)
    return stale


def test_a_totp_code_used_by_a_parallel_sign_in_is_refused(aid_test, app, make_user):
    user = make_user(Role.COORDINATOR)
    code = aid_test.totp_code(user)
    stale = _stale_copy(user)
    with app.test_request_context("/login/code", method="POST"):
        assert accounts.check_second_factor(user, code, user.email) is accounts.LoginResult.OK
        assert accounts.check_second_factor(stale, code, user.email) is accounts.LoginResult.BAD


def test_a_recovery_code_used_by_a_parallel_sign_in_is_refused(app, make_user):
    user = make_user(Role.COORDINATOR)
    codes = accounts.replace_recovery_codes(user)
    stale = _stale_copy(user)
    with app.test_request_context("/login/code", method="POST"):
        assert accounts.check_second_factor(user, codes[0], user.email) is \
            accounts.LoginResult.OK
        assert accounts.check_second_factor(stale, codes[0], user.email) is \
            accounts.LoginResult.BAD


# -- 11. links never follow the request's Host -----------------------------------------------

def test_a_forged_host_header_is_refused(client):
    response = client.get("/alerts/feed.atom", headers={"Host": "evil.example"})
    assert response.status_code == 400
    assert b"evil.example" not in response.data


def test_a_forged_forwarded_host_behind_a_proxy_is_refused(app_factory):
    app = app_factory(AID_PROXY_COUNT="1")
    response = app.test_client().get("/alerts/feed.atom",
                                     headers={"X-Forwarded-Host": "evil.example"})
    assert response.status_code == 400 and b"evil.example" not in response.data


def test_an_extra_trusted_host_is_served(app_factory):
    app = app_factory(AID_TRUSTED_HOSTS="aid.example.net")
    response = app.test_client().get("/alerts/feed.atom", headers={"Host": "aid.example.net"})
    assert response.status_code == 200


# -- 12. bidirectional overrides never reach coordinators -------------------------------------

def test_bidi_overrides_and_controls_are_removed_from_every_form(aid_test, client):
    area = factories.area("Eastside")
    response = aid_test.post_form(client, "/help", HELP | {
        "area": str(area.id), "name": "Lu\u202epe\u2066", "details": "Mi\x0b hermano\u202e 0142"})
    assert response.status_code == 302
    req = db.session.scalar(select(HelpRequest))
    assert req.name == "Lupe" and req.details == "Mi hermano 0142"


def test_passwords_are_compared_as_typed(aid_test, client, make_user):
    user = make_user()
    accounts.set_password(user, "a long password\u202e with a twist")
    response = aid_test.post_form(client, "/login", {"email": user.email,
                                            "password": "a long password with a twist"})
    assert response.status_code == 200  # not the same password


# -- 14. console backend, production, error logs ---------------------------------------------

def test_production_refuses_the_console_sms_backend(tmp_path):
    environ = {**generate_keys(), "AID_ENV": "production", "AID_SMS_BACKEND": "console",
               "AID_INSTANCE_PATH": str(tmp_path),
               "AID_DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}"}
    with pytest.raises(SystemExit, match="console"):
        create_app(ProductionConfig(environ))


class _Message:
    to_number = "+12025550123"
    body = "Aid code: 482913. It expires in 10 minutes."
    purpose = "verification"


def test_the_console_backend_masks_numbers_and_codes_on_a_reachable_site(app_factory, capsys):
    with app_factory(AID_PUBLIC_URL="https://demo.example.org").app_context():
        ConsoleBackend().send(_Message(), None)
    printed = capsys.readouterr().out
    assert "2025550123" not in printed and "482913" not in printed
    assert "expires in 10 minutes" in printed


def test_the_console_backend_prints_in_full_on_a_developers_machine(app, capsys):
    ConsoleBackend().send(_Message(), None)
    assert "482913" in capsys.readouterr().out


def test_database_errors_do_not_log_bound_values(app, make_user, caplog):
    user = make_user()
    caplog.set_level(logging.DEBUG)
    with pytest.raises(IntegrityError) as error:
        db.session.execute(db.text("INSERT INTO users (id, email_index) VALUES (:id, :ix)"),
                           {"id": user.id, "ix": "secret-index-value"})
    db.session.rollback()
    assert "secret-index-value" not in str(error.value)

