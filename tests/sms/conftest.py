"""SMS tests run against the real `twilio` client talking to the fake Twilio on 127.0.0.1
(tests/fakes); the keyword router is restored after each test by the shared fixtures."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient


@pytest.fixture
def app(twilio_app: Flask) -> Flask:
    return twilio_app


@pytest.fixture
def client(https_client: FlaskClient) -> FlaskClient:
    return https_client
