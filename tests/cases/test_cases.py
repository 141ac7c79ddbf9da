"""Opening a case from where a detention was learnt of, and who may open it."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from aid.auth.models import Role, Status
from aid.cases import service
from aid.cases.models import Case, CaseNote
from aid.extensions import db
from aid.security.audit import AuditEvent
from aid.shifts import service as shifts
from aid.timeutil import utcnow
from tests.volunteers import factories


def _browser(app):
    """Another person's browser, over https like the public site."""
    browser = app.test_client()
    browser.environ_base["wsgi.url_scheme"] = "https"
    browser.environ_base["HTTP_REFERER"] = "https://localhost/"
    return browser


def _audits(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def test_a_case_opened_from_an_after_action_report_links_both(
        client, aid_test, coordinator):
    shift = factories.shift(coordinator, starts_at=utcnow() - timedelta(hours=3))
    report = shifts.save_report(shift, coordinator, "detained", "Taken at the check-in",
                                None, "")
    aid_test.sign_in(client, coordinator)
    page = client.get(f"/shifts/{shift.id}").get_data(as_text=True)
    assert f'href="/cases/new?shift={shift.id}"' in page  # "Open a case" on the report

    form = client.get(f"/cases/new?shift={shift.id}").get_data(as_text=True)
    assert f"/shifts/{shift.id}" in form
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form).group(1)
    answer = client.post(f"/cases/new?shift={shift.id}", data={
        "csrf_token": token, "contact_name": "Lucia Gomez", "contact_phone": "(202) 555-0161",
        "language": "es", "area": str(shift.area_id), "needs": ["lawyer", "bond"]})
    assert answer.status_code == 302, answer.get_data(as_text=True)
    case = db.session.scalar(select(Case))
    assert case.shift_report_id == report.id and case.contact_phone == "+12025550161"
    assert answer.headers["Location"].endswith(f"/cases/{case.id}")

    case_page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert f"/shifts/{shift.id}" in case_page and "Lucia Gomez" in case_page
    shift_page = client.get(f"/shifts/{shift.id}").get_data(as_text=True)
    assert f'href="/cases/{case.id}"' in shift_page  # and the report links back


def test_a_case_opened_from_a_request_takes_its_contact(app, coordinator):
    from aid.hotline import service as hotline

    req, _token = hotline.create_request(hotline.Intake(
        category="legal", urgency="now", area_id=factories.area().id, language="es",
        contact_method="sms", details="Detuvieron a mi esposo", name="Ana",
        phone="+12025550162"))
    source = service.source_for(request_id=req.id)
    assert (source.contact_name, source.contact_phone, source.language) == (
        "Ana", "+12025550162", "es")
    assert service.cases_from("request", req.id) == []


def test_only_the_team_coordinators_and_admins_open_a_case(
        app, make_user, make_case, aid_test, coordinator):
    case = make_case()
    member = factories.volunteer(name="Rosa")
    outsider = factories.volunteer(name="Dev")
    service.add_member(case, member.id, coordinator)
    admin = make_user(Role.ADMIN, Status.VETTED)

    anonymous = _browser(app)
    answer = anonymous.get(f"/cases/{case.id}")
    assert answer.status_code == 302 and "/login" in answer.headers["Location"]

    for person, expected in ((member, 200), (coordinator, 200), (admin, 200),
                             (outsider, 403)):
        browser = _browser(app)
        aid_test.sign_in(browser, person)
        answer = browser.get(f"/cases/{case.id}")
        assert answer.status_code == expected, person.display_name
        page = answer.get_data(as_text=True)
        assert ("Lucia Gomez" in page) is (expected == 200)
        # The list shows the outsider nothing either.
        assert (f"/cases/{case.id}" in browser.get("/cases").get_data(as_text=True)) is (
            expected == 200)
        if person is outsider:
            refused = aid_test.post_form(browser, f"/cases/{case.id}/notes", {"body": "x"})
            assert refused.status_code == 403

    viewed = {(e.actor_id, e.target_id) for e in _audits("case.viewed")}
    assert {(member.id, case.id), (coordinator.id, case.id), (admin.id, case.id)} <= viewed
    assert outsider.id not in {actor for actor, _ in viewed}
    [refused] = _audits("case.refused")
    assert (refused.actor_id, refused.target_id) == (outsider.id, case.id)
    assert all("Lucia" not in e.detail for e in db.session.scalars(select(AuditEvent)))


def test_the_team_writes_notes_and_the_form_warns_against_status_questions(
        client, aid_test, make_case, coordinator):
    case = make_case()
    member = factories.volunteer()
    service.add_member(case, member.id, coordinator)
    aid_test.sign_in(client, member)
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "Never write an A-number, country of birth, immigration status" in page
    for forbidden in ("a_number", "alien", "country", "immigration_status", "criminal"):
        assert f'name="{forbidden}' not in page
    empty = aid_test.post_form(client, f"/cases/{case.id}/notes", {"body": "   "})
    assert empty.status_code == 400
    done = aid_test.post_form(client, f"/cases/{case.id}/notes",
                              {"body": "Called the family: they found a lawyer"})
    assert done.status_code == 302
    [note] = db.session.scalars(select(CaseNote).where(CaseNote.kind == "note")).all()
    assert note.author_id == member.id
    assert "found a lawyer" in client.get(f"/cases/{case.id}").get_data(as_text=True)
    # A volunteer on the team does not manage it.
    assert aid_test.post_form(client, f"/cases/{case.id}/close", {}).status_code == 403


def test_a_bad_milestone_is_shown_again_with_what_was_typed(client, aid_test, make_case,
                                                          coordinator):
    case = make_case()
    aid_test.sign_in(client, coordinator)
    answer = aid_test.post_form(client, f"/cases/{case.id}/milestones", {
        "kind": "hearing", "day": "not a day", "time": "09:30", "place": "Room 4B"})
    assert answer.status_code == 400
    page = answer.get_data(as_text=True)
    assert "Room 4B" in page and 'aria-invalid="true"' in page
