"""Duress sign-in: the same pages and codes as a normal sign-in, an empty workspace behind
them, the admins texted through the SMS gateway (a fake Twilio), and an audit row."""

from __future__ import annotations

import re

import pytest
from flask import Flask, g
from flask.testing import FlaskClient
from sqlalchemy import func, select

from aid.alerts.models import Alert
from aid.auth import service as accounts
from aid.auth.models import Role, Status, User
from aid.demo import create_demo
from aid.extensions import db
from aid.security.audit import AuditEvent
from tests.helpers import PASSWORD
from tests.volunteers import factories

DURESS = "blue heron at the pier"
ADMIN_PHONE = "+12025550177"
OTHER_COORDINATOR_PHONE = "+12025550178"
VICTIM_PHONE = "+12025550179"
PAGES = ["/", "/coordinator", "/coordinator/requests", "/coordinator/volunteers",
         "/coordinator/reports", "/coordinator/alerts", "/shifts", "/board", "/account", "/my"]


@pytest.fixture
def app(twilio_app: Flask) -> Flask:
    """Texts go to the fake Twilio (the duress alert is a text to the admins)."""
    return twilio_app


@pytest.fixture
def client(https_client: FlaskClient) -> FlaskClient:
    return https_client


def _staff(role: Role, phone: str, name: str) -> User:
    user = factories.volunteer(name=name, phone=phone)
    user.role = str(role)
    user.status = str(Status.VETTED)
    accounts.enrol_totp_now(user)
    db.session.commit()
    return user


@pytest.fixture
def people(app):
    list(create_demo())
    admin = _staff(Role.ADMIN, ADMIN_PHONE, "Admin Ines")
    other = _staff(Role.COORDINATOR, OTHER_COORDINATOR_PHONE, "Coordinator Tomas")
    victim = _staff(Role.COORDINATOR, VICTIM_PHONE, "Coordinator Yusuf")
    return admin, other, victim


def _strip(html: str) -> str:
    return re.sub(r'value="[^"]{20,}"', 'value=""', html)  # CSRF tokens differ per session


def _sign_in(aid_test, client, user: User, password: str) -> list[tuple[int, str, str]]:
    """Every step a person sees: status, where it leads, and the next page's text."""
    steps = []
    first = aid_test.post_form(client, "/login", {"email": user.email, "password": password})
    code_page = client.get("/login/code")
    steps.append((first.status_code, first.headers.get("Location", ""),
                  _strip(code_page.get_data(as_text=True))))
    db.session.refresh(user)
    second = client.post("/login/code", data={
        "csrf_token": aid_test.csrf_token(client, "/login/code"),
        "code": aid_test.totp_code(user)})
    steps.append((second.status_code, second.headers.get("Location", ""), ""))
    return steps


def _sign_out(aid_test, client) -> None:  # noqa: F811
    aid_test.post_form(client, "/logout", {})
    g.pop("duress_user_id", None)


def _personal_values() -> list[str]:
    return ["Marisol", "Rosa", "Admin Ines", "Coordinator Tomas", "202-555-0142", "5550111",
            "202-555-0111", "202-555-0177", "5550177",
            "5550178", "demo.example"]


def test_duress_sign_in_looks_normal_shows_nothing_and_raises_the_alarm(  # noqa: F811
        aid_test, app, client, people, twilio):  # noqa: F811
    admin, other, victim = people
    accounts.set_password(victim, PASSWORD)

    normal = _sign_in(aid_test, client, victim, PASSWORD)
    seen_normally = {p: client.get(p).get_data(as_text=True) for p in PAGES}
    assert any(v in page for page in seen_normally.values() for v in _personal_values())

    # Setting it: never the real password, and the current one is asked.
    refused = client.post("/account/duress", data={
        "csrf_token": aid_test.csrf_token(client, "/account"), "duress-current": PASSWORD,
        "duress-password": PASSWORD, "duress-confirm": PASSWORD})
    assert refused.status_code == 400
    assert "must differ from your real password" in refused.get_data(as_text=True)
    ok = client.post("/account/duress", data={
        "csrf_token": aid_test.csrf_token(client, "/account"), "duress-current": PASSWORD,
        "duress-password": DURESS, "duress-confirm": DURESS})
    assert ok.status_code == 302
    _sign_out(aid_test, client)
    twilio.reset()
    alerts_before = db.session.scalar(select(func.count()).select_from(Alert))

    coerced = _sign_in(aid_test, client, victim, DURESS)
    assert [(s, loc) for s, loc, _page in coerced] == [(s, loc) for s, loc, _page in normal]
    assert coerced[0][2] == normal[0][2]  # the code page is the very same page

    for path in PAGES:
        response = client.get(path)
        assert response.status_code == 200, path
        page = response.get_data(as_text=True)
        for value in _personal_values():
            assert value not in page, (path, value)
    # Not even counts: the dashboard of an empty network.
    dashboard = client.get("/coordinator").get_data(as_text=True)
    assert set(re.findall(r'<span class="n">(\d+)</span>', dashboard)) == {"0"}
    assert "<rect" not in dashboard.split("Volunteers by status")[0]  # no bar in any chart
    assert "A duress password is set" not in client.get("/account").get_data(as_text=True)

    # An alert cannot be sent: the form "works" and nothing is stored.
    compose = client.post("/coordinator/alerts/new", data={
        "csrf_token": aid_test.csrf_token(client, "/coordinator/alerts/new"), "title": "Raid",
        "body": "Checkpoint at 5th and Main"})
    assert compose.status_code == 302
    g.pop("duress_user_id", None)
    assert db.session.scalar(select(func.count()).select_from(Alert)) == alerts_before

    sent_to = {m["To"] for m in twilio.sent}
    assert ADMIN_PHONE in sent_to and OTHER_COORDINATOR_PHONE in sent_to
    assert VICTIM_PHONE not in sent_to
    assert any("duress" in m["Body"] for m in twilio.sent)
    row = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "auth.duress_sign_in"))
    assert row is not None and row.target_id == victim.id
    assert DURESS not in (row.detail or "")


def test_the_duress_lock_ends_real_sessions_and_suspends_the_account(aid_test, app, client, people,  # noqa: F811
                                                                     twilio):  # noqa: F811
    _admin, _other, victim = people
    accounts.set_password(victim, PASSWORD)
    from aid.auth import duress

    duress.set_duress_password(victim, DURESS, lock=True)
    real = app.test_client()
    real.environ_base.update(client.environ_base)  # over https too, like the `client` fixture
    _sign_in(aid_test, real, victim, PASSWORD)
    assert real.get("/coordinator/requests").status_code == 200

    _sign_in(aid_test, client, victim, DURESS)
    assert client.get("/coordinator/requests").status_code == 200  # still believable
    g.pop("duress_user_id", None)
    db.session.refresh(victim)
    assert victim.status == Status.SUSPENDED
    assert real.get("/coordinator/requests").status_code in (302, 403)  # the real one ended
