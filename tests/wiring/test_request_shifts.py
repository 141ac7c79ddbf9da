"""Shifts made for hotline requests, a volunteer's assigned requests on /my, and the
assignment form's hints."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from aid.extensions import db
from aid.hotline import service as hotline
from aid.shifts import service as shifts
from aid.shifts.models import Shift
from aid.timeutil import utcnow
from tests.volunteers import factories


def _request(language: str = "es"):
    req, _token = hotline.create_request(hotline.Intake(
        category="legal", urgency="days", area_id=factories.area().id, language=language,
        contact_method="sms", details="Hearing on Tuesday", phone="+12025550155"))
    return req


def test_a_coordinator_makes_a_shift_for_a_request_and_sees_its_report_there(
        aid_test, app, client, signed_in):
    boss = signed_in("coordinator")
    req = _request()
    page = client.get(f"/coordinator/requests/{req.id}").get_data(as_text=True)
    assert "Create a shift for this request" in page and f"/shifts/new?request={req.id}" in page
    form = client.get(f"/shifts/new?request={req.id}").get_data(as_text=True)
    # Linked, with the request's language ticked.
    assert req.code in form and 'checked id="languages-1" name="languages" type="checkbox" ' \
        'value="es"' in form
    tomorrow = (utcnow() + timedelta(days=1)).date().isoformat()
    response = aid_test.post_form(client, f"/shifts/new?request={req.id}", {
        "kind": "court", "status": "open", "day": tomorrow, "time": "09:00",
        "duration_minutes": "120", "area": str(req.area_id), "needed": "2",
        "summary": "Accompany a parent to a hearing", "meeting_place": "Court steps"})
    assert response.status_code == 302
    shift = db.session.scalar(select(Shift))
    assert shift.request_id == req.id
    assert req.code in client.get(f"/shifts/{shift.id}").get_data(as_text=True)
    shift.starts_at = utcnow() - timedelta(hours=3)
    db.session.commit()
    shifts.save_report(shift, boss, "rescheduled", "The judge moved the hearing", None,
                       "Find an interpreter")
    page = client.get(f"/coordinator/requests/{req.id}").get_data(as_text=True)
    assert "The judge moved the hearing" in page and "Find an interpreter" in page


def test_my_page_lists_the_requests_assigned_to_me(aid_test, app, client, make_user):
    rosa = factories.volunteer(phone="+12025550156")
    req = _request()
    hotline.assign(req, rosa, make_user("coordinator"))
    aid_test.sign_in(client, rosa)
    page = client.get("/my").get_data(as_text=True)
    assert "My assigned requests" in page and req.code in page
    assert f"/my/requests/{req.id}" in page and "Hearing on Tuesday" not in page


def test_the_assignment_form_shows_languages_and_areas(app, client, signed_in):
    signed_in("coordinator")
    factories.volunteer(name="Marisol", languages=("es", "pt"), phone="+12025550157")
    req = _request()
    page = client.get(f"/coordinator/requests/{req.id}").get_data(as_text=True)
    # What matches this request: its language and its area (and how busy they are).
    assert "Marisol · speaks Spanish · Eastside · 0 open" in page


def test_my_page_shows_what_shifts_and_the_hotline_add_in_order_to_vetted_members_only(
        aid_test, app, client, make_user):
    rosa = factories.volunteer(phone="+12025550158")
    hotline.assign(_request(), rosa, make_user("coordinator"))
    aid_test.sign_in(client, rosa)
    page = client.get("/my").get_data(as_text=True)
    added = ["My shifts", "My assigned requests", "Calendar feed", "My profile"]
    positions = [page.index(title) for title in added]
    assert positions == sorted(positions), list(zip(added, positions, strict=True))
    aid_test.post_form(client, "/logout", {})
    sam = factories.volunteer(status="applied", phone="+12025550159")
    aid_test.sign_in(client, sam)
    page = client.get("/my").get_data(as_text=True)
    assert "Your application" in page and "My profile" in page
    for title in added[:3]:
        assert title not in page


def test_a_shift_for_a_request_that_is_gone_links_to_nothing(app, client, signed_in):
    signed_in("coordinator")
    form = client.get("/shifts/new?request=987654").get_data(as_text=True)
    assert "For hotline request" not in form
