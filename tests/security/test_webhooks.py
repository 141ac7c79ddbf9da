"""Every route declared `@twilio_webhook` refuses a post Twilio did not sign, found from the
app's routes: a webhook added later is covered without being listed here."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from flask import Flask
from twilio.request_validator import RequestValidator

from aid.extensions import db, limiter
from aid.security import webhooks
from aid.sms.models import InboundMessage
from aid.voice.models import VoiceCall

TOKEN = "webhook-test-token-0123456789abcdef"
PUBLIC_URL = "https://aid.example.org"
PARAMS = {"AccountSid": "AC" + "0" * 32, "From": "+12025550188", "To": "+12025550100",
          "Body": "hello", "MessageSid": "SM" + "1" * 32, "CallSid": "CA" + "1" * 32}


@pytest.fixture
def app(app_factory) -> Iterator[Flask]:
    application = app_factory(TWILIO_AUTH_TOKEN=TOKEN, AID_PUBLIC_URL=PUBLIC_URL)
    with application.app_context():
        limiter.reset()
        yield application


@pytest.fixture
def client(app: Flask):
    test_client = app.test_client()
    test_client.environ_base["wsgi.url_scheme"] = "https"
    return test_client


def _webhook_urls(app: Flask) -> list[tuple[str, str]]:
    found = webhooks.endpoints(app)
    urls = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint in found:
            assert rule.methods is not None and "POST" in rule.methods, rule.endpoint
            urls.append((rule.endpoint, re.sub(r"<[^>]+>", "1", rule.rule)))
    return urls


def _signature(path: str, token: str = TOKEN) -> str:
    return RequestValidator(token).compute_signature(PUBLIC_URL + path, PARAMS)


def test_the_texting_and_calling_webhooks_are_declared(app):
    assert {"sms.inbound", "sms.status", "voice.inbound", "voice.language", "voice.recording",
            "voice.status", "voice.callback_done"} <= webhooks.endpoints(app)


def test_every_webhook_refuses_a_bad_or_missing_signature_and_stores_nothing(app, client):
    urls = _webhook_urls(app)
    assert len(urls) >= 13
    for endpoint, url in urls:
        forged = client.post(url, data=PARAMS,
                             headers={"X-Twilio-Signature": _signature(url, "someone-else")})
        assert forged.status_code == 403, f"{endpoint}: a forged signature must be refused"
        missing = client.post(url, data=PARAMS)
        assert missing.status_code == 403, f"{endpoint}: an unsigned post must be refused"
        other_path = client.post(url, data=PARAMS,
                                 headers={"X-Twilio-Signature": _signature("/elsewhere")})
        assert other_path.status_code == 403, f"{endpoint}: signed for another address"
    assert db.session.query(InboundMessage).count() == 0
    assert db.session.query(VoiceCall).count() == 0


def test_every_webhook_lets_twilio_in_without_a_csrf_token(app, client):
    for endpoint, url in _webhook_urls(app):
        response = client.post(url, data=PARAMS, headers={"X-Twilio-Signature": _signature(url)})
        assert response.status_code not in {400, 403}, f"{endpoint}: {response.status_code}"
        assert response.status_code < 500, f"{endpoint}: {response.status_code}"
