from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from aid.auth.models import Role
from aid.extensions import db
from aid.security.audit import AuditEvent
from aid.shifts import signups
from aid.shifts.models import ShiftReport, Signup
from aid.timeutil import utcnow
from tests.volunteers import factories


def _started_shift(coordinator, minutes: int = 60):
    """A shift starting within the hour, so check-in is open."""
    shift = factories.shift(coordinator, starts_at=utcnow() + timedelta(hours=1), minutes=minutes)
    return shift


def _alerts() -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "shift.checkout_missed")))


def test_confirmed_volunteer_checks_in_and_out_on_the_web(aid_test, app, client, make_user):
    shift = _started_shift(make_user(Role.COORDINATOR))
    volunteer = factories.volunteer()
    signups.sign_up(shift.id, volunteer)
    aid_test.sign_in(client, volunteer)
    page = aid_test.post_form(client, f"/shifts/{shift.id}/checkin", {}, follow_redirects=True)
    html = page.get_data(as_text=True)
    assert "Checked in" in html and "Check out: I have left safely" in html
    page = aid_test.post_form(client, f"/shifts/{shift.id}/checkout", {}, follow_redirects=True)
    assert "Checked out. Thank you" in page.get_data(as_text=True)
    row = db.session.scalar(select(Signup))
    db.session.refresh(row)
    assert row.checked_in_at and row.checked_out_at


def test_check_in_is_refused_too_early_and_for_people_not_confirmed(aid_test, app, client,
                                                                    make_user):
    coordinator = make_user(Role.COORDINATOR)
    far = factories.shift(coordinator, starts_at=utcnow() + timedelta(days=3))
    volunteer = factories.volunteer()
    signups.sign_up(far.id, volunteer)
    aid_test.sign_in(client, volunteer)
    page = aid_test.post_form(client, f"/shifts/{far.id}/checkin", {}, follow_redirects=True)
    assert "Check-in opens one hour before" in page.get_data(as_text=True)
    soon = _started_shift(coordinator)
    page = aid_test.post_form(client, f"/shifts/{soon.id}/checkin", {}, follow_redirects=True)
    assert "Only volunteers confirmed on this shift" in page.get_data(as_text=True)


def test_missed_check_out_alerts_the_coordinator_once(app, make_user):
    shift = _started_shift(make_user(Role.COORDINATOR), minutes=60)
    stays, leaves = factories.volunteer(), factories.volunteer()
    for person in (stays, leaves):
        signups.sign_up(shift.id, person)
        signups.check_in(shift, person, now=shift.starts_at)
    signups.check_out(shift, leaves, now=shift.ends_at)
    within_grace = shift.ends_at + timedelta(minutes=20)
    assert signups.overdue_checkouts(within_grace) == []
    late = shift.ends_at + timedelta(minutes=31)
    assert [row.user_id for row in signups.overdue_checkouts(late)] == [stays.id]
    assert signups.alert_missed_checkouts(late) == 1
    assert signups.alert_missed_checkouts(late + timedelta(minutes=5)) == 0  # the next run
    alerts = _alerts()
    assert len(alerts) == 1 and alerts[0].target_id == shift.id
    assert alerts[0].detail == f"user {stays.id}, 0 texted"  # nobody has a phone on file


def test_a_failed_alert_is_retried_on_the_next_run(app, make_user, monkeypatch):
    shift = _started_shift(make_user(Role.COORDINATOR), minutes=60)
    volunteer = factories.volunteer()
    signups.sign_up(shift.id, volunteer)
    signups.check_in(shift, volunteer, now=shift.starts_at)
    late = shift.ends_at + timedelta(hours=1)

    def broken(*_args: object) -> None:
        raise RuntimeError("gateway down")

    monkeypatch.setattr(signups, "_alert_coordinator", broken)
    with pytest.raises(RuntimeError):
        signups.alert_missed_checkouts(late)
    monkeypatch.undo()
    assert signups.alert_missed_checkouts(late) == 1
    assert len(_alerts()) == 1


def test_the_periodic_job_runs_the_missed_check_out_alarm(app, make_user):
    from aid.shifts.tasks import missed_checkouts

    shift = factories.shift(make_user(Role.COORDINATOR),
                            starts_at=utcnow() + timedelta(minutes=30), minutes=15)
    volunteer = factories.volunteer()
    signups.sign_up(shift.id, volunteer)
    signups.check_in(shift, volunteer)
    db.session.execute(db.update(type(shift)).where(type(shift).id == shift.id)
                       .values(starts_at=utcnow() - timedelta(hours=2)))
    db.session.commit()
    missed_checkouts.call_local()
    assert len(_alerts()) == 1


def test_lead_volunteer_files_the_after_action_report(aid_test, app, client, make_user):
    coordinator = make_user(Role.COORDINATOR)
    shift = factories.shift(coordinator, starts_at=utcnow() + timedelta(minutes=30))
    lead, other = factories.volunteer(), factories.volunteer()
    signups.sign_up(shift.id, lead)
    signups.sign_up(shift.id, other)
    db.session.execute(db.update(type(shift)).where(type(shift).id == shift.id)
                       .values(starts_at=utcnow() - timedelta(hours=3)))
    db.session.commit()
    helper = app.test_client()
    aid_test.sign_in(helper, other)
    assert helper.get(f"/shifts/{shift.id}/report").status_code == 403
    aid_test.sign_in(client, lead)
    response = aid_test.post_form(client, f"/shifts/{shift.id}/report",
                                  {"outcome": "rescheduled",
                                   "summary": "Hearing moved, judge absent",
                          "next_date": "2031-05-02", "follow_ups": "Find an interpreter"})
    assert response.status_code == 302
    report = db.session.scalar(select(ShiftReport))
    assert report.author_id == lead.id and str(report.next_date) == "2031-05-02"
    staff = app.test_client()
    aid_test.sign_in(staff, coordinator)
    html = staff.get(f"/shifts/{shift.id}").get_data(as_text=True)
    assert "Hearing moved, judge absent" in html and "Find an interpreter" in html
