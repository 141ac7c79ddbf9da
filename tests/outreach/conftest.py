"""Bulk text tests send through the real `twilio` client to the fake Twilio on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask

from aid.extensions import limiter
from tests.sms.conftest import (  # noqa: F401 (fixtures)
    ACCOUNT_SID,
    AUTH_TOKEN,
    PUBLIC_URL,
    fake_twilio_server,
    twilio,
)
from tests.sms.fake_twilio import FakeTwilio


@pytest.fixture
def app(app_factory, twilio: FakeTwilio) -> Iterator[Flask]:  # noqa: F811
    application = app_factory(
        AID_SMS_BACKEND="twilio", TWILIO_ACCOUNT_SID=ACCOUNT_SID, TWILIO_AUTH_TOKEN=AUTH_TOKEN,
        TWILIO_FROM_NUMBER="+12025550100", TWILIO_API_BASE=twilio.url, AID_PUBLIC_URL=PUBLIC_URL,
        AID_SMS_RETRY_SECONDS="0.001", AID_ALERT_APPROVAL_THRESHOLD="3",
    )
    with application.app_context():
        limiter.reset()
        yield application


@pytest.fixture
def client(app: Flask):
    test_client = app.test_client()
    test_client.environ_base["wsgi.url_scheme"] = "https"
    test_client.environ_base["HTTP_REFERER"] = "https://localhost/"
    return test_client
