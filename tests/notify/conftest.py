"""Notification tests: a real SMTP server and the fake Twilio, both on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask

from aid.auth.models import Role, Status
from aid.extensions import db, limiter
from aid.volunteers.models import VolunteerProfile
from tests.notify.smtp_server import SmtpServer
from tests.sms.conftest import ACCOUNT_SID, AUTH_TOKEN, FROM_NUMBER, PUBLIC_URL
from tests.sms.fake_twilio import FakeTwilio


@pytest.fixture(scope="session")
def smtp_server() -> Iterator[SmtpServer]:
    server = SmtpServer().start()
    yield server
    server.stop()


@pytest.fixture
def smtp(smtp_server: SmtpServer) -> SmtpServer:
    smtp_server.reset()
    return smtp_server


@pytest.fixture(scope="session")
def fake_twilio_server() -> Iterator[FakeTwilio]:
    server = FakeTwilio().start()
    yield server
    server.stop()


@pytest.fixture
def twilio(fake_twilio_server: FakeTwilio) -> FakeTwilio:
    fake_twilio_server.reset()
    return fake_twilio_server


@pytest.fixture
def app(app_factory, twilio: FakeTwilio, smtp: SmtpServer) -> Iterator[Flask]:
    application = app_factory(
        AID_SMS_BACKEND="twilio", TWILIO_ACCOUNT_SID=ACCOUNT_SID, TWILIO_AUTH_TOKEN=AUTH_TOKEN,
        TWILIO_FROM_NUMBER=FROM_NUMBER, TWILIO_API_BASE=twilio.url, AID_PUBLIC_URL=PUBLIC_URL,
        AID_SMS_RETRY_SECONDS="0.001", AID_SMTP_URL=smtp.url, AID_MAIL_FROM="aid@example.org",
        AID_NOTIFY_RETRY_SECONDS="60")
    with application.app_context():
        limiter.reset()
        yield application


@pytest.fixture
def client(app: Flask):
    test_client = app.test_client()
    test_client.environ_base["wsgi.url_scheme"] = "https"
    test_client.environ_base["HTTP_REFERER"] = "https://localhost/"
    return test_client


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
