"""Notification tests: the app wired to the SMTP server and the fake Twilio, both on
127.0.0.1 (shared, tests/fakes)."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from aid.auth.models import Role, Status
from aid.extensions import db
from aid.volunteers.models import VolunteerProfile
from tests.fakes.smtp_server import SmtpServer


@pytest.fixture
def app_settings(smtp: SmtpServer) -> dict[str, str]:
    return {"AID_SMTP_URL": smtp.url, "AID_MAIL_FROM": "aid@example.org",
            "AID_NOTIFY_RETRY_SECONDS": "60"}


@pytest.fixture
def app(twilio_app: Flask) -> Flask:
    return twilio_app


@pytest.fixture
def client(https_client: FlaskClient) -> FlaskClient:
    return https_client


@pytest.fixture
def volunteer(make_user):
    """A vetted volunteer with a phone on their profile: `volunteer(phone=..., locale=...)`."""
    counter = iter(range(10, 99))

    def make(phone: str | None = None, locale: str | None = None, **kwargs):
        user = make_user(Role.VOLUNTEER, Status.VETTED, **kwargs)
        user.locale = locale
        db.session.add(VolunteerProfile(
            user_id=user.id, phone=phone or f"+120255501{next(counter)}", referral="",
            vouch_code="x", vouch_code_index=f"code-{user.id}"))
        db.session.commit()
        return user

    return make
