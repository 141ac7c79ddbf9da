"""Alert subscribers from another texting service: invited by text, subscribed on YES."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from aid.auth.models import Role, Status
from aid.extensions import db
from aid.sms import service as sms
from aid.sms import subscriptions
from aid.sms.models import Invitation, Subscriber
from tests.fakes.fake_twilio import text_in

PATH = "/coordinator/import/subscribers"
EXPORT = ("Phone Number,First Name,Language,Tags\n"
          "+1 202-555-0161,Lupe,Spanish,Riverside\n"
          "2025550162,Sam,English,\n"
          "(202) 555-0163,Stopped,English,\n"
          "(202) 555-0164,Already,English,\n"
          "not a phone,Nobody,English,\n"
          "+12025550161,Lupe again,Spanish,\n")


@pytest.fixture
def app(twilio_app: Flask) -> Flask:
    """Invitations go out through the fake Twilio, and YES comes back through it."""
    return twilio_app


@pytest.fixture
def client(https_client: FlaskClient) -> FlaskClient:
    return https_client


def test_imported_numbers_are_invited_and_subscribed_only_after_yes(
        steps, client, signed_in, twilio, areas):
    sms.suppress("+12025550163", "keyword")
    subscriptions.subscribe("+12025550164", subscriptions.Choices(), "web")
    signed_in(Role.COORDINATOR, Status.VETTED)
    twilio.reset()

    page = steps.upload(PATH, EXPORT)
    html = page.get_data(as_text=True)
    assert "2 would be created." in html
    assert "Line 4: this number opted out of our texts" in html
    assert "Line 5: this number already gets our alerts" in html
    assert "Line 6: the phone number is missing or not valid" in html
    assert "Line 7: the same phone number is on an earlier line" in html
    assert twilio.sent == [] and db.session.scalar(select(Invitation)) is None  # dry run

    steps.step(PATH, page, "run")
    texted = {m["To"]: m["Body"] for m in twilio.sent}
    assert set(texted) == {"+12025550161", "+12025550162"}
    assert "Responde SÍ" in texted["+12025550161"]  # in the language the export gave
    assert "Reply YES" in texted["+12025550162"]
    # Consent cannot be imported: nobody is subscribed yet.
    assert subscriptions.find_subscriber("+12025550161") is None

    reply = text_in(client, "Sí", sender="+12025550161")
    assert "Riverside" in reply.get_data(as_text=True)
    lupe = subscriptions.find_subscriber("+12025550161")
    assert lupe is not None and lupe.status == "active" and lupe.language == "es"
    assert [a.name for a in lupe.areas] == ["Riverside"]
    assert subscriptions.find_subscriber("+12025550162") is None  # did not answer
    assert db.session.query(Subscriber).count() == 2  # Lupe and the one already there

    # The same file again: the invited and the subscribed are refused, nobody texted twice.
    twilio.reset()
    again = steps.upload(PATH, EXPORT)
    html = again.get_data(as_text=True)
    assert "Line 2: this number already gets our alerts" in html
    assert "Line 3: this number was already invited" in html
    assert "0 would be created." in html and twilio.sent == []
