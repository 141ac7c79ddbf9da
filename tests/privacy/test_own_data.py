"""People's own data: download it, delete the account, leave the alerts, withdraw a request."""

from __future__ import annotations

import json
import re
from datetime import timedelta

from sqlalchemy import select

from aid.auth.models import Role, User
from aid.extensions import db
from aid.hotline.models import HelpRequest, State
from aid.security.audit import AuditEvent
from aid.shifts import signups
from aid.shifts.models import Signup, SignupStatus
from aid.sms.models import Subscriber
from aid.sms.subscriptions import start_verification
from aid.timeutil import utcnow
from tests.privacy.support import (
    REQUESTER_PHONE,
    SUBSCRIBER_PHONE,
    decrypted_values,
    last_text_to,
)
from tests.volunteers import factories


def test_volunteer_downloads_their_data_without_other_people(aid_test, client, network):
    aid_test.sign_in(client, network.volunteer)
    response = client.get("/my/data.json")
    assert response.headers["Content-Disposition"].startswith("attachment")
    data = json.loads(response.get_data(as_text=True))
    assert data["account"]["email"] == "marisol.vega@example.org"
    assert data["volunteer_profile"]["phone"] == "+12025550100"
    assert data["shifts"][0]["shift"] == network.shift_id
    assert "Lupe" not in response.get_data(as_text=True)


def test_deleting_an_account_frees_the_place_and_leaves_no_name(aid_test, client, network):
    full = factories.shift(network.coordinator, needed=1,
                           starts_at=utcnow() + timedelta(days=3))
    signups.sign_up(full.id, network.volunteer)
    waiting = factories.volunteer(name="Next In Line")
    assert signups.sign_up(full.id, waiting) == SignupStatus.WAITLISTED
    aid_test.sign_in(client, network.volunteer)
    wrong = aid_test.post_form(client, "/my/data", {"password": "not it"})
    assert wrong.status_code == 400 and db.session.get(User, network.volunteer.id)
    done = aid_test.post_form(client, "/my/data", {"password": "a long test password"})
    assert done.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, network.volunteer.id) is None
    row = db.session.scalar(select(Signup).where(Signup.shift_id == full.id,
                                                 Signup.user_id == waiting.id))
    assert row.status == SignupStatus.CONFIRMED
    assert not any("Marisol" in v for v in decrypted_values())
    entry = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "account.deleted"))
    assert "Marisol" not in entry.detail
    assert client.get("/my/data").status_code == 302  # signed out


def test_the_only_admin_cannot_delete_themselves(aid_test, client, make_user):
    admin = make_user(Role.ADMIN)
    aid_test.sign_in(client, admin)
    assert "You are the only admin" in client.get("/my/data").get_data(as_text=True)
    aid_test.post_form(client, "/my/data", {"password": "a long test password"})
    assert db.session.get(User, admin.id) is not None


def test_subscriber_downloads_and_deletes_after_the_sms_code(aid_test, client, network):
    aid_test.post_form(client, "/alerts/manage", {"phone": SUBSCRIBER_PHONE})
    code = re.search(r"\d{6}", last_text_to(SUBSCRIBER_PHONE)).group()
    aid_test.post_form(client, "/alerts/manage/confirm", {"code": code})
    data = json.loads(client.get("/alerts/manage/data").get_data(as_text=True))
    assert data["subscription"]["phone"] == SUBSCRIBER_PHONE
    assert any("Welcome" in t["text"] for t in data["texts_we_sent_you"])
    response = aid_test.post_form(client, "/alerts/manage/choices", {})  # page still works
    assert response.status_code in (200, 302, 400)
    done = aid_test.post_form(client, "/alerts/manage/delete", {})
    assert done.status_code == 302
    assert db.session.get(Subscriber, network.subscriber_id) is None
    assert not any(SUBSCRIBER_PHONE in v for v in decrypted_values())


def test_subscriber_pages_need_a_confirmed_code(aid_test, client, network):
    assert client.get("/alerts/manage/data").status_code == 302
    aid_test.post_form(client, "/alerts/manage/delete", {})
    assert db.session.get(Subscriber, network.subscriber_id) is not None
    assert start_verification(SUBSCRIBER_PHONE, "manage")  # nothing else was used up


def test_requester_withdraws_with_reference_and_texted_code(aid_test, client, network):
    response = aid_test.post_form(client, "/help/withdraw", {"code": network.request_code.lower(),
                                                     "phone": "(415) 555-0123"})
    assert response.headers["Location"].endswith("/help/withdraw/confirm")
    text = last_text_to(REQUESTER_PHONE)
    assert network.request_code in text
    code = re.findall(r"\b\d{6}\b", text)[-1]
    wrong = aid_test.post_form(client, "/help/withdraw/confirm",
                               {"code": "000000" if code != "000000"
                                                         else "111111"})
    assert "not right" in wrong.get_data(as_text=True)
    done = aid_test.post_form(client, "/help/withdraw/confirm", {"code": code})
    assert "Request withdrawn" in done.get_data(as_text=True)
    req = db.session.get(HelpRequest, network.request_id)
    assert req.state == State.WITHDRAWN and req.name is None and req.phone is None
    assert not any("hermano" in v for v in decrypted_values())


def test_withdraw_with_the_wrong_phone_sends_nothing_and_says_the_same(aid_test, client, network):
    from aid.sms.models import OutboundMessage

    before = db.session.scalar(select(db.func.count(OutboundMessage.id)))
    response = aid_test.post_form(client, "/help/withdraw", {"code": network.request_code,
                                                     "phone": "+14155550999"})
    assert response.headers["Location"].endswith("/help/withdraw/confirm")
    assert db.session.scalar(select(db.func.count(OutboundMessage.id))) == before
    aid_test.post_form(client, "/help/withdraw/confirm", {"code": "123456"})
    assert db.session.get(HelpRequest, network.request_id).is_open
