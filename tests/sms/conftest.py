"""SMS tests run against the real `twilio` client talking to a fake Twilio on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from twilio.request_validator import RequestValidator

from aid.extensions import limiter
from aid.sms import router
from tests.sms.fake_twilio import FakeTwilio

ACCOUNT_SID = "AC" + "0" * 32
AUTH_TOKEN = "test-auth-token-0123456789abcdef"
PUBLIC_URL = "https://aid.example.org"
FROM_NUMBER = "+12025550100"


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
def app(app_factory, twilio: FakeTwilio) -> Iterator[Flask]:
    application = app_factory(
        AID_SMS_BACKEND="twilio", TWILIO_ACCOUNT_SID=ACCOUNT_SID, TWILIO_AUTH_TOKEN=AUTH_TOKEN,
        TWILIO_FROM_NUMBER=FROM_NUMBER, TWILIO_API_BASE=twilio.url, AID_PUBLIC_URL=PUBLIC_URL,
        AID_SMS_RETRY_SECONDS="0.001",
    )
    with application.app_context():
        limiter.reset()
        yield application


@pytest.fixture
def client(app: Flask):
    """Over https, like the public site: the session cookie is `Secure` when AID_PUBLIC_URL is."""
    test_client = app.test_client()
    test_client.environ_base["wsgi.url_scheme"] = "https"
    test_client.environ_base["HTTP_REFERER"] = "https://localhost/"  # CSRF's https check
    return test_client


@pytest.fixture(autouse=True)
def _router_restored() -> Iterator[None]:
    """Tests that register keywords, handlers or a fallback leave the router as they found it."""
    state = router.snapshot()
    yield
    router.restore(state)


def signature(path: str, params: dict, token: str = AUTH_TOKEN, base: str = PUBLIC_URL) -> str:
    return RequestValidator(token).compute_signature(base + path, params)


def post_signed(client, path: str, params: dict, **kwargs):
    """POST as Twilio does: form-encoded, signed for the public URL."""
    return client.post(path, data=params, headers={"X-Twilio-Signature": signature(path, params)},
                       **kwargs)


_sids = iter(range(1, 10**6))


def text_in(client, body: str, sender: str = "+12025550123", **extra: str):
    """Twilio delivering a text from `sender` to the inbound webhook."""
    params = {"MessageSid": f"SM{next(_sids):032d}", "AccountSid": ACCOUNT_SID,
              "From": sender, "To": FROM_NUMBER, "Body": body, **extra}
    return post_signed(client, "/sms/inbound", params)
