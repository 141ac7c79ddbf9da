from __future__ import annotations

from datetime import timedelta

from aid.auth.models import Role
from aid.extensions import db
from aid.shifts import signups
from aid.timeutil import utcnow
from tests.volunteers import factories


def _due(now) -> list[tuple[int, str]]:
    return [(r.signup.user_id, r.which) for r in signups.due_reminders(now)]


def test_reminders_fall_due_24h_and_2h_before_and_go_out_once(app, make_user):
    now = utcnow()
    shift = factories.shift(make_user(Role.COORDINATOR), starts_at=now + timedelta(hours=30),
                            needed=1)
    confirmed, waiting = factories.volunteer(), factories.volunteer()
    signups.sign_up(shift.id, confirmed)
    signups.sign_up(shift.id, waiting)
    assert _due(now) == []  # more than a day ahead
    day_before = shift.starts_at - timedelta(hours=23)
    assert _due(day_before) == [(confirmed.id, "24h")]  # the waitlisted person is not reminded
    reminder = signups.due_reminders(day_before)[0]
    assert signups.claim_reminder(reminder.signup.id, "24h", day_before) is True
    # A restarted worker asks again: nothing is due twice, and a second claim fails.
    assert _due(day_before + timedelta(minutes=1)) == []
    assert signups.claim_reminder(reminder.signup.id, "24h") is False
    two_hours = shift.starts_at - timedelta(hours=1, minutes=59)
    assert _due(two_hours) == [(confirmed.id, "2h")]
    signups.claim_reminder(reminder.signup.id, "2h", two_hours)
    assert _due(two_hours) == []


def test_a_late_sign_up_gets_only_the_2h_reminder(app, make_user):
    now = utcnow()
    shift = factories.shift(make_user(Role.COORDINATOR), starts_at=now + timedelta(minutes=90))
    volunteer = factories.volunteer()
    signups.sign_up(shift.id, volunteer)
    assert _due(now) == [(volunteer.id, "2h")]


def test_withdrawn_and_cancelled_places_are_not_reminded(app, make_user):
    now = utcnow()
    coordinator = make_user(Role.COORDINATOR)
    kept = factories.shift(coordinator, starts_at=now + timedelta(hours=5))
    dropped = factories.shift(coordinator, starts_at=now + timedelta(hours=10))
    volunteer = factories.volunteer()
    signups.sign_up(kept.id, volunteer)
    signups.sign_up(dropped.id, volunteer)
    signups.withdraw(dropped.id, volunteer)
    kept.status = "cancelled"
    db.session.commit()
    assert _due(now) == []
