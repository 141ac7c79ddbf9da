"""Signing in: passwords, throttling, the second step for staff, and ending sessions."""

from __future__ import annotations

import time

import pytest

from aid.auth.models import Role, Status
from aid.extensions import db
from aid.security import audit, passwords
from tests.helpers import PASSWORD


def login(aid_test, client, email, password=PASSWORD, addr="198.51.100.7"):
    token = aid_test.csrf_token(client, "/login")
    return client.post("/login", data={"csrf_token": token, "email": email, "password": password},
                       environ_base={"REMOTE_ADDR": addr})


def test_volunteer_signs_in_with_a_password_and_lands_home(aid_test, client, make_user):
    user = make_user(Role.VOLUNTEER, Status.VETTED)
    response = login(aid_test, client, user.email)
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert user.display_name in client.get("/").get_data(as_text=True)


def test_wrong_password_says_so_and_keeps_the_email(aid_test, client, make_user):
    user = make_user()
    response = login(aid_test, client, user.email, "not the password")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "do not match an account" in html and f'value="{user.email}"' in html
    assert "Sign in" in html and client.get("/account").status_code == 302


def test_unknown_email_gets_the_same_answer_as_a_wrong_password(aid_test, client):
    html = login(aid_test, client, "nobody@example.org").get_data(as_text=True)
    assert "do not match an account" in html


def test_repeated_failures_lock_that_client_out_of_that_account_only(aid_test, client, make_user):
    user = make_user()
    for _ in range(5):
        login(aid_test, client, user.email, "wrong password")
    locked = login(aid_test, client, user.email)  # right password, but from the attacking client
    assert "Too many attempts" in locked.get_data(as_text=True)
    assert locked.status_code == 200
    other_client = client.application.test_client()
    ok = login(aid_test, other_client, user.email, addr="203.0.113.9")  # the owner, elsewhere
    assert ok.status_code == 302


def test_lock_expires_by_itself(aid_test, app_factory, make_user):
    # The test waits for the real expiry (in memory or in Redis): the window is short, yet
    # long enough for four sign-ins on a busy machine to fall inside it.
    client = app_factory(AID_LOGIN_LOCK="3 per 30 seconds").test_client()
    user = make_user()
    for _ in range(3):
        login(aid_test, client, user.email, "wrong password")
    assert "Too many attempts" in login(aid_test, client, user.email).get_data(as_text=True)
    time.sleep(30.2)
    after = login(aid_test, client, user.email)
    assert after.status_code == 302, after.get_data(as_text=True)[-1500:]


def test_admin_can_reset_a_locked_account(aid_test, client, make_user):
    user = make_user()
    for _ in range(5):
        login(aid_test, client, user.email, "wrong password")
    admin_client = client.application.test_client()
    aid_test.sign_in(admin_client, make_user(Role.ADMIN))
    aid_test.post_form(admin_client, f"/admin/users/{user.id}", {"action": "unlock"})
    # The per-client lock stays (it protects against that client), the account lock is gone:
    assert login(aid_test, client.application.test_client(), user.email,
                 addr="192.0.2.1").status_code == 302


def test_too_many_sign_in_posts_from_one_client_get_the_slow_down_page(aid_test, app_factory,
                                                                       make_user):
    app = app_factory(AID_LOGIN_LIMIT="3 per minute")
    client = app.test_client()
    for _ in range(3):
        login(aid_test, client, "someone@example.org", "x")
    response = login(aid_test, client, "someone@example.org", "x")
    assert response.status_code == 429
    assert "Please slow down" in response.get_data(as_text=True)


def test_failed_sign_ins_are_audited_without_the_email(aid_test, client, make_user):
    user = make_user()
    login(aid_test, client, user.email, "wrong password")
    entries = db.session.scalars(db.select(audit.AuditEvent)).all()
    failed = [e for e in entries if e.action == "auth.login_failed"]
    assert failed and failed[0].target_id == user.id
    assert all(user.email not in e.detail for e in entries)


def test_password_hash_is_upgraded_at_sign_in_when_parameters_change(aid_test, app, client,
                                                                     make_user):
    user = make_user()
    old_hash = user.password_hash
    app.config["ARGON2_TIME_COST"] = 2
    assert passwords.needs_rehash(old_hash)
    login(aid_test, client, user.email)
    db.session.refresh(user)
    assert user.password_hash != old_hash and user.password_hash.startswith("$argon2id$")
    assert not passwords.needs_rehash(user.password_hash)


def test_open_redirect_after_sign_in_is_refused(aid_test, client, make_user):
    user = make_user()
    token = aid_test.csrf_token(client, "/login")
    response = client.post("/login", data={"csrf_token": token, "email": user.email,
                                           "password": PASSWORD, "next": "//evil.example"})
    assert response.headers["Location"] == "/"


def test_sign_in_starts_a_new_session(aid_test, client, make_user):
    user = make_user()
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    login(aid_test, client, user.email)
    with client.session_transaction() as session:
        assert "planted" not in session and "login_at" in session


# -- staff need a second step ------------------------------------------------------------

def test_coordinator_password_alone_does_not_sign_in(aid_test, client, make_user):
    user = make_user(Role.COORDINATOR)
    response = login(aid_test, client, user.email)
    assert response.headers["Location"].endswith("/login/code")
    assert client.get("/admin/users").status_code in (302, 403)
    assert client.get("/account").status_code == 302


def test_coordinator_signs_in_with_a_code_and_the_same_code_fails_twice(aid_test, client,
                                                                        make_user):
    user = make_user(Role.COORDINATOR)
    login(aid_test, client, user.email)
    code = aid_test.totp_code(user)
    assert aid_test.post_form(client, "/login/code", {"code": code}).status_code == 302
    assert client.get("/account").status_code == 200
    second = client.application.test_client()
    login(aid_test, second, user.email, addr="192.0.2.44")
    replay = aid_test.post_form(second, "/login/code", {"code": code})
    assert "already used" in replay.get_data(as_text=True)


def test_wrong_code_is_refused(aid_test, client, make_user):
    user = make_user(Role.ADMIN)
    login(aid_test, client, user.email)
    response = aid_test.post_form(client, "/login/code", {"code": "000000"})
    assert "not right" in response.get_data(as_text=True)
    assert client.get("/account").status_code == 302


def test_new_coordinator_must_enrol_with_a_server_drawn_qr_code(aid_test, client, make_user):
    import pyotp

    user = make_user(Role.COORDINATOR, totp=False)
    response = login(aid_test, client, user.email)
    assert response.headers["Location"].endswith("/login/enrol")
    page = client.get("/login/enrol").get_data(as_text=True)
    assert "<svg" in page and "<script" not in page
    db.session.refresh(user)
    code = pyotp.TOTP(user.totp_secret).now()
    done = aid_test.post_form(client, "/login/enrol", {"code": code})
    html = done.get_data(as_text=True)
    assert "recovery codes" in html.lower() and html.count("<code>") == 10
    assert client.get("/account").status_code == 200


def test_recovery_code_works_once(aid_test, client, make_user):
    import re

    import pyotp

    user = make_user(Role.COORDINATOR, totp=False)
    login(aid_test, client, user.email)
    client.get("/login/enrol")
    db.session.refresh(user)
    html = aid_test.post_form(client, "/login/enrol", {"code": pyotp.TOTP(user.totp_secret).now()}
                              ).get_data(as_text=True)
    recovery = re.findall(r"<code>([a-z0-9-]+)</code>", html)[0]
    for attempt, expected in ((1, 302), (2, 200)):
        fresh = client.application.test_client()
        login(aid_test, fresh, user.email, addr=f"192.0.2.{attempt}")
        response = aid_test.post_form(fresh, "/login/code", {"code": recovery.upper()})
        assert response.status_code == expected


def test_pending_second_step_expires(aid_test, client, make_user, monkeypatch):
    user = make_user(Role.COORDINATOR)
    login(aid_test, client, user.email)
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + 301)
    response = aid_test.post_form(client, "/login/code", {"code": aid_test.totp_code(user)})
    assert response.status_code == 302 and response.headers["Location"].endswith("/login")


# -- sessions end when they should ---------------------------------------------------------

def test_suspension_ends_an_open_session_at_once(aid_test, client, make_user):
    user = make_user(Role.VOLUNTEER, Status.VETTED)
    aid_test.sign_in(client, user)
    assert client.get("/account").status_code == 200
    admin = client.application.test_client()
    aid_test.sign_in(admin, make_user(Role.ADMIN))
    aid_test.post_form(admin, f"/admin/users/{user.id}", {"role": "volunteer",
                                                          "status": "suspended"})
    assert client.get("/account").status_code == 302
    assert login(aid_test, client.application.test_client(), user.email).status_code == 200


def test_password_change_ends_other_sessions_but_keeps_this_one(aid_test, client, make_user):
    user = make_user()
    aid_test.sign_in(client, user)
    other = client.application.test_client()
    aid_test.sign_in(other, user)
    response = aid_test.post_form(client, "/account/password", {
        "current": PASSWORD, "password": "another long password",
        "confirm": "another long password"})
    assert response.status_code == 302
    assert client.get("/account").status_code == 200
    assert other.get("/account").status_code == 302


def test_password_change_with_wrong_current_password_keeps_typed_values(aid_test, client,
                                                                        make_user):
    aid_test.sign_in(client, make_user())
    response = aid_test.post_form(client, "/account/password", {
        "current": "wrong", "password": "another long password", "confirm": "different"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "current password is not right" in html or "passwords differ" in html


@pytest.mark.parametrize("shift_seconds", [31 * 60, 13 * 3600])
def test_idle_and_absolute_timeouts_sign_out(aid_test, client, make_user, monkeypatch,
                                             shift_seconds):
    user = make_user()
    aid_test.sign_in(client, user)
    real = time.time
    if shift_seconds > 3600:  # keep the session busy so only the absolute limit can end it
        for hour in range(13):
            monkeypatch.setattr(time, "time", lambda h=hour: real() + h * 3600)
            client.get("/")
    monkeypatch.setattr(time, "time", lambda: real() + shift_seconds)
    response = client.get("/account")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_sign_out_is_a_post_and_ends_the_session(aid_test, client, make_user):
    aid_test.sign_in(client, make_user())
    assert client.get("/logout").status_code == 405
    aid_test.post_form(client, "/logout", {})
    assert client.get("/account").status_code == 302
