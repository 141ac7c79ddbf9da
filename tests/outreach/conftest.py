"""Bulk text tests send through the real `twilio` client to the fake Twilio on 127.0.0.1."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient


@pytest.fixture
def app_settings() -> dict[str, str]:
    return {"AID_ALERT_APPROVAL_THRESHOLD": "3"}


@pytest.fixture
def app(twilio_app: Flask) -> Flask:
    return twilio_app


@pytest.fixture
def client(https_client: FlaskClient) -> FlaskClient:
    return https_client
