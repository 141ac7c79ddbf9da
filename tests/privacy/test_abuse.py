"""Abuse resistance: honeypot and minimum fill time on public forms, limits on webhooks."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from aid import forms
from aid.extensions import db, limiter
from aid.hotline.models import HelpRequest
from tests.volunteers import factories

HELP = {"category": "legal", "urgency": "now", "language": "es", "contact_method": "sms",
        "name": "Lupe", "phone": "(202) 555-0188", "consent": "y",
        "details": "Mi hermano fue detenido esta mañana"}


MINIMUM = 60  # seconds a person takes at least; the tests move the form clock past it


@pytest.fixture
def slow_app(app_factory):
    application = app_factory(AID_FORM_MIN_SECONDS=str(MINIMUM))
    with application.app_context():
        limiter.reset()
        yield application


def _started(html: str) -> str:
    return re.search(r'name="started" type="hidden" value="([^"]+)"', html).group(1)


def _later(monkeypatch) -> None:
    """As if the person had spent longer than the minimum on the form."""
    shown = forms.clock()
    monkeypatch.setattr(forms, "clock", lambda: shown + MINIMUM + 1)


def _count() -> int:
    return db.session.scalar(select(func.count(HelpRequest.id)))


def test_a_filled_honeypot_is_asked_again_with_the_text_kept(aid_test, slow_app, monkeypatch):
    client = slow_app.test_client()
    area = factories.area("Eastside")
    html = client.get("/help").get_data(as_text=True)
    assert 'class="hp"' in html
    data = HELP | {"area": str(area.id), "csrf_token": aid_test.csrf_token(client, "/help"),
                   "started": _started(html), "website": "http://spam.example"}
    _later(monkeypatch)
    response = client.post("/help", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "send it again" in page
    assert "Mi hermano fue detenido" in page  # what a person typed is not lost
    assert _count() == 0  # and the bot's post is not stored


def test_too_fast_is_asked_again_and_a_second_try_goes_through(aid_test, slow_app, monkeypatch):
    client = slow_app.test_client()
    area = factories.area("Eastside")
    html = client.get("/help").get_data(as_text=True)
    data = HELP | {"area": str(area.id), "csrf_token": aid_test.csrf_token(client, "/help"),
                   "started": _started(html)}
    first = client.post("/help", data=data)
    assert first.status_code == 400 and "send it again" in first.get_data(as_text=True)
    assert _count() == 0
    forged = client.post("/help", data=data | {"started": "made-up"})
    assert forged.status_code == 400
    _later(monkeypatch)
    second = client.post("/help", data=data | {"started": _started(first.get_data(as_text=True))})
    assert second.status_code in (200, 302) and _count() == 1


@pytest.mark.parametrize("path", ["/help", "/board/new", "/volunteer/signup", "/alerts/subscribe",
                                  "/alerts/manage", "/help/withdraw"])
def test_every_public_form_carries_the_check(client, path):
    factories.area("Eastside")
    html = client.get(path).get_data(as_text=True)
    assert 'name="website"' in html and 'name="started"' in html


def test_the_sms_webhook_is_rate_limited(app_factory):
    application = app_factory(AID_SMS_WEBHOOK_LIMIT="3 per minute")
    with application.app_context():
        limiter.reset()
        client = application.test_client()
        codes = [client.post("/sms/inbound", data={"Body": "hi"}).status_code for _ in range(5)]
    assert codes[-1] == 429 and codes[0] != 429
