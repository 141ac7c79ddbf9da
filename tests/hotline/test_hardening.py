"""Issue 20, point 9: anti-bot stamps that cannot be replayed, and a bound on the whole queue."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from aid import forms
from aid.auth.models import Role
from aid.extensions import db, limiter
from aid.hotline.models import HelpRequest
from aid.network import service as network

HELP = {"category": "legal", "urgency": "now", "language": "es", "contact_method": "sms",
        "name": "Lupe", "phone": "(202) 555-0188", "consent": "y",
        "details": "Mi hermano fue detenido esta mañana"}


@pytest.fixture
def stamped_app(app_factory):
    application = app_factory(AID_FORM_MIN_SECONDS="1", AID_FORM_MAX_MINUTES="5")
    with application.app_context():
        limiter.reset()
        yield application


def _started(html: str) -> str:
    return re.search(r'name="started" type="hidden" value="([^"]+)"', html).group(1)


def _count() -> int:
    return db.session.scalar(select(func.count(HelpRequest.id)))


def _shown(aid_test, client, area_id: int) -> dict:
    html = client.get("/help").get_data(as_text=True)
    return HELP | {"area": str(area_id), "csrf_token": aid_test.csrf_token(client, "/help"),
                   "started": _started(html)}


def _seconds_later(monkeypatch, seconds: float) -> None:
    """The form's clock moves on (no real waiting)."""
    now = forms.clock()
    monkeypatch.setattr(forms, "clock", lambda: now + seconds)


def test_a_stamp_works_once(aid_test, stamped_app, areas, monkeypatch):
    client = stamped_app.test_client()
    data = _shown(aid_test, client, areas[0].id)
    _seconds_later(monkeypatch, 2)  # older than the minimum, as a person's would be
    first = client.post("/help", data=data)
    assert first.status_code == 302, first.headers["Location"]
    replay = client.post("/help", data=data)
    assert replay.status_code == 400 and "send it again" in replay.get_data(as_text=True)
    assert "Mi hermano fue detenido" in replay.get_data(as_text=True)
    assert _count() == 1


def test_a_stamp_from_another_session_is_refused(aid_test, stamped_app, areas, monkeypatch):
    shown_elsewhere = _shown(aid_test, stamped_app.test_client(), areas[0].id)
    client = stamped_app.test_client()
    mine = _shown(aid_test, client, areas[0].id)
    _seconds_later(monkeypatch, 2)
    response = client.post("/help", data=mine | {"started": shown_elsewhere["started"]})
    assert response.status_code == 400 and _count() == 0


def test_an_old_stamp_is_refused(aid_test, stamped_app, areas, monkeypatch):
    client = stamped_app.test_client()
    data = _shown(aid_test, client, areas[0].id)
    shown = forms.clock()
    monkeypatch.setattr(forms, "clock", lambda: shown + 6 * 60)  # past the 5-minute limit
    response = client.post("/help", data=data)
    assert response.status_code == 400 and _count() == 0


def test_the_whole_queue_is_bounded_and_coordinators_are_told(aid_test, app_factory, areas,
                                                               make_user):
    app = app_factory(AID_HOTLINE_QUEUE_PER_HOUR="3")
    limiter.enabled = False  # rotating addresses: no per-client limit applies
    try:

        codes = [aid_test.post_form(app.test_client(), "/help",
                           HELP | {"area": str(areas[0].id)}).status_code
                 for _ in range(5)]
        refused = aid_test.post_form(app.test_client(), "/help", HELP | {"area": str(areas[0].id)})
    finally:
        limiter.enabled = True
    assert codes == [302, 302, 302, 429, 429] and _count() == 3
    assert "Mi hermano fue detenido" in refused.get_data(as_text=True)  # the text comes back
    coordinator = app.test_client()
    aid_test.sign_in(coordinator, make_user(Role.COORDINATOR))
    page = coordinator.get("/coordinator/requests").get_data(as_text=True)
    assert "as many requests as it may this hour" in page


def test_the_surge_switch_raises_the_bound(aid_test, app_factory, areas):
    app = app_factory(AID_HOTLINE_QUEUE_PER_HOUR="1", AID_HOTLINE_SURGE_PER_HOUR="3")
    network.save_settings(surge=True)
    limiter.enabled = False
    try:

        codes = [aid_test.post_form(app.test_client(), "/help",
                           HELP | {"area": str(areas[0].id)}).status_code
                 for _ in range(4)]
    finally:
        limiter.enabled = True
    assert codes == [302, 302, 302, 429]
