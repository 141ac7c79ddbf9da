"""Case fixtures: the fake Twilio and a real SMTP server on 127.0.0.1, a network with an area,
and cases made in one line."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask

from aid.auth.models import Role, Status
from aid.cases import service
from aid.extensions import db, limiter
from tests.notify.smtp_server import SmtpServer
from tests.sms.conftest import ACCOUNT_SID, AUTH_TOKEN, FROM_NUMBER, PUBLIC_URL
from tests.sms.fake_twilio import FakeTwilio
from tests.volunteers import factories

FAMILY_PHONE = "+12025550161"


@pytest.fixture(scope="session")
def fake_twilio_server() -> Iterator[FakeTwilio]:
    server = FakeTwilio().start()
    yield server
    server.stop()


@pytest.fixture
def twilio(fake_twilio_server: FakeTwilio) -> FakeTwilio:
    fake_twilio_server.reset()
    return fake_twilio_server


@pytest.fixture(scope="session")
def smtp_server() -> Iterator[SmtpServer]:
    server = SmtpServer().start()
    yield server
    server.stop()


@pytest.fixture
def smtp(smtp_server: SmtpServer) -> SmtpServer:
    smtp_server.reset()
    return smtp_server


@pytest.fixture
def app(app_factory, twilio: FakeTwilio, smtp: SmtpServer) -> Iterator[Flask]:
    application = app_factory(
        AID_SMS_BACKEND="twilio", TWILIO_ACCOUNT_SID=ACCOUNT_SID, TWILIO_AUTH_TOKEN=AUTH_TOKEN,
        TWILIO_FROM_NUMBER=FROM_NUMBER, TWILIO_API_BASE=twilio.url, AID_PUBLIC_URL=PUBLIC_URL,
        AID_SMS_RETRY_SECONDS="0.001", AID_SMTP_URL=smtp.url, AID_MAIL_FROM="aid@example.org")
    with application.app_context():
        limiter.reset()
        yield application


@pytest.fixture
def client(app: Flask):
    """Over https, like the public site (the session cookie is Secure)."""
    test_client = app.test_client()
    test_client.environ_base["wsgi.url_scheme"] = "https"
    test_client.environ_base["HTTP_REFERER"] = "https://localhost/"
    return test_client


@pytest.fixture
def coordinator(make_user):
    return make_user(Role.COORDINATOR, Status.VETTED, name="Marisol")


@pytest.fixture
def make_case(app, coordinator):
    def make(language: str = "es", phone: str | None = FAMILY_PHONE, needs=("lawyer", "bond"),
             name: str = "Lucia Gomez", by=None, source: service.Source | None = None):
        data = service.CaseData(contact_name=name, contact_phone=phone or "",
                                language=language, area_id=factories.area().id,
                                needs=list(needs))
        case = service.create_case(data, by or coordinator, source)
        db.session.refresh(case)
        return case

    return make
