"""A request on the web with a phone: the requester is texted their code; once assigned, the
volunteer is told by email (a real SMTP server) and by text (the fake Twilio), without any of
the request's details; the requester texts back and the volunteer is told again."""

from __future__ import annotations

import urllib.parse
import urllib.request

import pyotp
import pytest
from flask import Flask
from twilio.request_validator import RequestValidator

from aid.auth.models import Role, Status
from aid.extensions import db
from aid.network import service as network
from aid.volunteers.models import VolunteerProfile
from tests.e2e.pages import AskForHelpPage, RequestPage, SignInPage
from tests.fakes.fake_twilio import ACCOUNT_SID, AUTH_TOKEN, FROM_NUMBER, FakeTwilio
from tests.fakes.smtp_server import SmtpServer, html_of, text_of
from tests.helpers import PASSWORD

pytestmark = pytest.mark.e2e

DETAILS = "Necesito pañales y leche para el bebé"
REQUESTER = "+12025550142"
VOLUNTEER_PHONE = "+12025550177"


@pytest.fixture
def app_settings(app_settings: dict[str, str], smtp: SmtpServer) -> dict[str, str]:
    return {**app_settings, "AID_SMTP_URL": smtp.url, "AID_MAIL_FROM": "aid@example.org"}


@pytest.fixture
def app(twilio_app: Flask) -> Flask:
    return twilio_app


def text_in(base: str, body: str, sender: str) -> int:
    """Twilio delivering a text to the inbound webhook, signed for the public address."""
    params = {"MessageSid": "SM" + "7" * 32, "AccountSid": ACCOUNT_SID, "From": sender,
              "To": FROM_NUMBER, "Body": body}
    signature = RequestValidator(AUTH_TOKEN).compute_signature(f"{base}/sms/inbound", params)
    request = urllib.request.Request(  # noqa: S310 (the live test server)
        f"{base}/sms/inbound", data=urllib.parse.urlencode(params).encode(),
        headers={"X-Twilio-Signature": signature})
    with urllib.request.urlopen(request) as answer:  # noqa: S310
        return answer.status


def texts_to(twilio: FakeTwilio, phone: str) -> list[str]:
    return [m["Body"] for m in twilio.sent if m["To"] == phone]


def test_requester_and_volunteer_are_told_without_the_requests_details(
        app, browser, live_server, make_user, twilio, smtp):
    app.config["PUBLIC_URL"] = live_server  # links and signatures use the address people use
    network.add_area("Riverside")
    coordinator = make_user(Role.COORDINATOR, email="coord@example.org")
    rosa = make_user(Role.VOLUNTEER, Status.VETTED, email="rosa@example.org", name="Rosa")
    db.session.add(VolunteerProfile(user_id=rosa.id, phone=VOLUNTEER_PHONE, referral="",
                                    vouch_code="x", vouch_code_index="rosa"))
    db.session.commit()

    # A person asks on the web, in Spanish, giving a phone for texts.
    asker = browser.new_context(locale="es-MX", java_script_enabled=False).new_page()
    code = AskForHelpPage(asker, live_server).ask_for_food_by_text(
        "Riverside", DETAILS, "(202) 555-0142")
    [code_text] = texts_to(twilio, REQUESTER)
    assert code in code_text and "ESTADO" in code_text and DETAILS not in code_text

    # A coordinator assigns it to Rosa.
    staff = browser.new_context(locale="en-US", java_script_enabled=False).new_page()
    sign_in = SignInPage(staff, live_server)
    sign_in.sign_in("coord@example.org", PASSWORD)
    sign_in.enter_code(pyotp.TOTP(coordinator.totp_secret).now())
    request_page = RequestPage(staff, live_server)
    request_page.open_from_queue(code)
    request_page.assign_to("Rosa")
    assert "Assigned to Rosa" in staff.content()

    # Rosa gets an email and a text: a sentence and a link, nothing of the request.
    [mail] = smtp.to("rosa@example.org")
    [rosa_text] = texts_to(twilio, VOLUNTEER_PHONE)
    for body in (text_of(mail), html_of(mail), mail["Subject"], rosa_text):
        for secret in ("pañales", "leche", "bebé", "555-0142", "2025550142", code):
            assert secret not in body
    assert "A request was assigned to you" in rosa_text
    link = next(word for word in rosa_text.split() if word.startswith(live_server))

    # The requester texts back; Rosa is told again.
    assert text_in(live_server, "Gracias, estoy en casa desde las 3", REQUESTER) == 200
    assert len(smtp.to("rosa@example.org")) == 2
    [_assigned, replied] = texts_to(twilio, VOLUNTEER_PHONE)
    assert "sent a new message" in replied and "casa" not in replied

    # The link opens the request after Rosa signs in.
    volunteer = browser.new_context(locale="en-US", java_script_enabled=False).new_page()
    volunteer.goto(link)
    SignInPage(volunteer, live_server).sign_in_here("rosa@example.org", PASSWORD)
    assert DETAILS in volunteer.content()
