"""Verification by several people: each verdict counts once per person, the level follows the
network's "people needed", an alert built from a report says its level, reports expire
unless re-confirmed, and near reports can be merged."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from aid.alerts import reports, service, verification
from aid.alerts.models import Report, ReportState
from aid.auth.models import Role, Status
from aid.errors import Conflict
from aid.extensions import db
from aid.network.service import save_settings
from aid.notify.models import Notification
from aid.sms.segments import segment_info
from aid.timeutil import utcnow
from tests.alerts.support import add_subscribers, draft, photo_with_exif, responder


def _report(area_id: int | None = None, **extra: object) -> Report:
    return reports.create_report(reports.NewReport("enforcement", area_id, "Oak and 5th",
                                                   "now", "vans", **extra))


def _two_responders(make_user, area_id: int):
    first = responder(make_user, area_id, phone="+12025550165")
    second = responder(make_user, area_id, phone="+12025550166")
    return first, second


def test_a_report_needing_two_is_not_confirmed_by_one_and_its_alert_says_so(
        app, areas, make_user, coordinator, twilio):
    save_settings(verifiers_needed=2)
    report = _report(areas["Eastside"], activity="checkpoint")
    first, second = _two_responders(make_user, areas["Eastside"])
    reports.dispatch(report, coordinator)
    assert reports.judge(report, first, "confirmed", "Saw two vans.") == ReportState.PROBABLE
    # The same person again is still one person.
    assert reports.judge(report, first, "confirmed", "Still there.") == ReportState.PROBABLE
    add_subscribers(2, "en", [areas["Eastside"]])
    add_subscribers(1, "es", [areas["Eastside"]])
    alert = service.create_draft(draft(report_id=report.id, firsthand="", area_ids=[
        areas["Eastside"]], bodies={"en": "Checkpoint at Oak and 5th. Avoid the area.",
                                    "es": "Retén en Oak y 5th. Evite la zona."}), coordinator)
    texts = {b.language: b.body for b in alert.bodies}
    assert texts["en"].endswith("Unconfirmed, be careful.")
    assert texts["es"].endswith("Sin confirmar, tenga cuidado.")
    assert all(segment_info(t)[:2] == ("GSM-7", 1) for t in texts.values())
    # A second person confirms before it is sent: the text says so when it goes.
    assert reports.judge(report, second, "confirmed", "Yes, at the corner.") == \
        ReportState.CONFIRMED
    service.submit(alert, coordinator)
    bodies = [m["Body"] for m in twilio.sent if "Oak y 5th" in m["Body"]
              or "Oak and 5th" in m["Body"]]
    assert len(bodies) == 3
    assert sum("Checkpoint at Oak and 5th. Avoid the area. Confirmed by 2 responders." in b
               for b in bodies) == 2
    assert sum("Evite la zona. Confirmado por 2 voluntarios." in b for b in bodies) == 1
    assert not any("Unconfirmed" in b or "Sin confirmar" in b for b in bodies)


def test_levels_follow_distinct_people(app, areas, make_user, coordinator):
    save_settings(verifiers_needed=2)
    report = _report(areas["Eastside"])
    a, b = _two_responders(make_user, areas["Eastside"])
    c = responder(make_user, areas["Eastside"], phone="+12025550167")
    reports.dispatch(report, coordinator)
    assert reports.judge(report, a, "not_seen", "Nothing.") == ReportState.DISPATCHED
    assert reports.judge(report, b, "probable", "People say so.") == ReportState.PROBABLE
    assert reports.judge(report, a, "false", "Checked again.") == ReportState.PROBABLE
    assert reports.judge(report, c, "false", "Nothing there.") == ReportState.FALSE
    with pytest.raises(Conflict):
        reports.judge(report, b, "confirmed", "too late")


def test_a_responder_not_asked_cannot_judge(app, areas, make_user):
    from aid.errors import NotAllowed

    report = _report(areas["Eastside"])
    with pytest.raises(NotAllowed):
        reports.judge(report, make_user(Role.VOLUNTEER, Status.VETTED), "confirmed", "x")


def test_the_check_page_takes_four_verdicts(aid_test, app, client, areas, make_user,
                                            coordinator):
    report = _report(areas["Eastside"])
    asked = responder(make_user, areas["Eastside"])
    reports.dispatch(report, coordinator)
    aid_test.sign_in(client, asked)
    page = client.get(f"/alerts/check/{report.id}").get_data(as_text=True)
    assert "Probable" in page and "Not seen" in page
    aid_test.post_form(client, f"/alerts/check/{report.id}",
                       {"outcome": "probable", "note": "A neighbour saw vans."})
    db.session.refresh(report)
    assert report.status == ReportState.PROBABLE
    assert "Your answer: Probable" in client.get(f"/alerts/check/{report.id}").get_data(
        as_text=True)


def test_a_report_expires_unless_confirmed_again(app, areas, make_user, coordinator):
    save_settings(report_hours=2)
    report = _report(areas["Eastside"])
    asked = responder(make_user, areas["Eastside"])
    reports.dispatch(report, coordinator)
    reports.judge(report, asked, "confirmed", "Seen.")
    assert report.expires_at > utcnow() + timedelta(minutes=110)
    later = utcnow() + timedelta(hours=1, minutes=30)
    reports.verification.record_verdict(report, asked, "confirmed", "Still there.", now=later)
    assert verification.expire_due(now=utcnow() + timedelta(hours=2, minutes=30)) == 0
    assert verification.expire_due(now=later + timedelta(hours=2, minutes=1)) == 1
    db.session.refresh(report)
    assert report.status == ReportState.EXPIRED and not report.is_open
    with app.test_request_context():
        assert service.basis_error(draft(report_id=report.id, firsthand="")) is not None
    assert report.id not in [r.id for r in reports.confirmed_reports()]


def test_an_alert_waiting_on_an_expired_report_is_refused(app, areas, coordinator):
    report = _report(areas["Eastside"])
    reports.judge(report, coordinator, "confirmed", "I saw it.")
    alert = service.create_draft(draft(report_id=report.id, firsthand=""), coordinator)
    report.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    with pytest.raises(Conflict):
        service.submit(alert, coordinator)


def test_near_reports_are_offered_and_merged(aid_test, app, client, areas, make_user,
                                             coordinator):
    from aid.alerts import photos
    first = _report(areas["Eastside"], photos=[photo_with_exif((400, 300))])
    second = _report(areas["Eastside"])
    elsewhere = _report(areas["Riverside"])
    old = _report(areas["Eastside"])
    old.created_at = utcnow() - timedelta(hours=3)
    db.session.commit()
    assert [r.id for r in verification.near(second)] == [first.id]
    asked = responder(make_user, areas["Eastside"])
    reports.dispatch(first, coordinator)
    reports.judge(first, asked, "confirmed", "Seen.")
    aid_test.sign_in(client, coordinator)
    page = client.get(f"/coordinator/reports/{first.id}").get_data(as_text=True)
    assert "Reports close in time and place" in page and f"#{second.id}" in page
    assert f"#{elsewhere.id}" not in page and f"#{old.id} " not in page
    response = aid_test.post_form(client, f"/coordinator/reports/{first.id}/merge",
                                  {"into": str(second.id)}, follow_redirects=True)
    assert f"Merged into report #{second.id}." in response.get_data(as_text=True)
    db.session.refresh(first)
    db.session.refresh(second)
    assert first.status == ReportState.MERGED and first.merged_into_id == second.id
    assert len(photos.of(second)) == 1 and second.status == ReportState.CONFIRMED
    assert photos.can_see(second, asked)  # the responder moved with the report


def test_responders_asked_are_told_through_notifications(app, areas, make_user, coordinator):
    report = _report(areas["Eastside"])
    asked = responder(make_user, areas["Eastside"])
    reports.dispatch(report, coordinator)
    [note] = db.session.scalars(select(Notification).where(
        Notification.kind == "report_check")).all()
    assert note.user_id == asked.id and note.link.endswith(f"/alerts/check/{report.id}")
    coordinators = db.session.scalars(select(Notification.user_id).where(
        Notification.kind == "report_to_verify")).all()
    assert coordinator.id in coordinators or coordinators == []


def test_admins_set_the_people_needed(aid_test, app, client, make_user):
    from aid.network.service import current_settings

    aid_test.sign_in(client, make_user(Role.ADMIN, Status.VETTED))
    page = client.get("/admin/settings").get_data(as_text=True)
    assert "People needed to confirm a report" in page
    aid_test.post_form(client, "/admin/settings", {
        "network_name": "Aid", "default_region": "US", "languages": ["en", "es"],
        "timezone": "America/Los_Angeles", "code_of_conduct": "Be kind.",
        "verifiers_needed": "2", "report_hours": "6", "merge_minutes": "45"})
    row = current_settings()
    assert (row.verifiers_needed, row.report_hours, row.merge_minutes) == (2, 6, 45)
