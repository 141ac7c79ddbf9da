"""Case fixtures: the app wired to the fake Twilio and the SMTP server on 127.0.0.1 (shared,
tests/fakes), a network with an area, and cases made in one line."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from aid.auth.models import Role, Status
from aid.cases import service
from aid.extensions import db
from tests.cases.support import FAMILY_PHONE
from tests.fakes.smtp_server import SmtpServer
from tests.volunteers import factories


@pytest.fixture
def app_settings(smtp: SmtpServer) -> dict[str, str]:
    return {"AID_SMTP_URL": smtp.url, "AID_MAIL_FROM": "aid@example.org"}


@pytest.fixture
def app(twilio_app: Flask) -> Flask:
    return twilio_app


@pytest.fixture
def client(https_client: FlaskClient) -> FlaskClient:
    """Over https, like the public site (the session cookie is Secure)."""
    return https_client


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
