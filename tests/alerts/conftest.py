"""Alert tests run the real fan-out (thread pool, claims) through the real `twilio` client
against the fake Twilio server on 127.0.0.1, on SQLite or on PostgreSQL. Subscribers and
drafts are made with tests/alerts/support.py."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from aid.auth.models import Role, Status, User
from aid.network.service import add_area


@pytest.fixture
def app_settings() -> dict[str, str]:
    return {"AID_ALERT_APPROVAL_THRESHOLD": "50", "AID_ALERT_CONCURRENCY": "4",
            "AID_ALERT_BATCH": "20", "AID_ALERT_JOBS": "1"}


@pytest.fixture
def app(twilio_app: Flask) -> Flask:
    return twilio_app


@pytest.fixture
def client(https_client: FlaskClient) -> FlaskClient:
    return https_client


@pytest.fixture
def areas(app: Flask) -> dict[str, int]:
    return {name: add_area(name).id for name in ("Eastside", "Riverside")}


@pytest.fixture
def coordinator(make_user) -> User:
    return make_user(Role.COORDINATOR, Status.VETTED)
