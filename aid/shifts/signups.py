"""Places on shifts: sign-up under a lock, waitlist promotion, check-in/out, reminders due.

Taking a place is race-safe: the shift row is locked before places are counted, so two
volunteers taking the last place at once get one confirmed and one waitlisted place.
PostgreSQL uses `SELECT ... FOR UPDATE`; SQLite (which ignores that) is serialised by a write
to the shift row first, which takes SQLite's single write lock for the rest of the transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import func, select, update
from sqlalchemy.orm import joinedload

from aid.auth.models import User
from aid.errors import Conflict
from aid.extensions import db
from aid.notify.service import notify
from aid.security import audit
from aid.shifts.labels import REFUSALS
from aid.shifts.models import Shift, ShiftStatus, Signup, SignupStatus
from aid.shifts.notices import alarm_missed_checkout, tell_promoted
from aid.timeutil import utcnow
from aid.volunteers.service import on_access_cut

MAX_DURATION = timedelta(hours=12)
CHECKIN_EARLY = timedelta(hours=1)
ACTIVE = (SignupStatus.CONFIRMED, SignupStatus.WAITLISTED)


class ShiftError(Conflict):
    """A refused action: `str(exc)` is its code, `message` the sentence for the volunteer."""

    def __init__(self, code: str) -> None:
        super().__init__(code, REFUSALS.get(code))


def _lock_shift(shift_id: int) -> Shift | None:
    if db.session.get_bind().dialect.name == "sqlite":
        db.session.execute(update(Shift).where(Shift.id == shift_id)
                           .values(lock_version=Shift.lock_version + 1))
    return db.session.scalar(select(Shift).where(Shift.id == shift_id).with_for_update()
                             .execution_options(populate_existing=True))


def _confirmed_count(shift_id: int) -> int:
    return db.session.scalar(select(func.count()).select_from(Signup).where(
        Signup.shift_id == shift_id, Signup.status == SignupStatus.CONFIRMED)) or 0


def confirmed_count(shift_id: int) -> int:
    return _confirmed_count(shift_id)


def _signup_of(shift_id: int, user_id: int) -> Signup | None:
    return db.session.scalar(select(Signup).where(Signup.shift_id == shift_id,
                                                  Signup.user_id == user_id)
                             .execution_options(populate_existing=True))


def overlapping(user_id: int, shift: Shift) -> Shift | None:
    """Another shift the person holds (or waits for) that overlaps this one in time."""
    candidates = db.session.scalars(
        select(Shift).join(Signup, Signup.shift_id == Shift.id).where(
            Signup.user_id == user_id, Signup.status.in_(ACTIVE), Shift.id != shift.id,
            Shift.status != ShiftStatus.CANCELLED, Shift.starts_at < shift.ends_at,
            Shift.starts_at > shift.starts_at - MAX_DURATION))
    return next((other for other in candidates if other.ends_at > shift.starts_at), None)


def sign_up(shift_id: int, user: User) -> SignupStatus:
    """Take a place, or a waitlist place when the shift is full."""
    try:
        shift = _lock_shift(shift_id)
        if shift is None or shift.status != ShiftStatus.OPEN:
            raise ShiftError("closed")
        if shift.starts_at <= utcnow():
            raise ShiftError("past")
        row = _signup_of(shift.id, user.id)
        if row is not None and row.status in ACTIVE:
            raise ShiftError("already")
        if overlapping(user.id, shift) is not None:
            raise ShiftError("overlap")
        full = _confirmed_count(shift.id) >= shift.needed
        status = SignupStatus.WAITLISTED if full else SignupStatus.CONFIRMED
        if row is None:
            row = Signup(shift_id=shift.id, user_id=user.id)
            db.session.add(row)
        row.status, row.queued_at, row.withdrawn_at = status, utcnow(), None
        row.confirmed_at = utcnow() if status == SignupStatus.CONFIRMED else None
        audit.record("shift.signed_up", "shift", shift.id, status.value, actor_id=user.id)
        db.session.commit()
    except Exception:
        db.session.rollback()  # releases the lock at once
        raise
    return status


def _promote(shift: Shift) -> list[int]:
    """Fill free places from the waitlist, first come first served."""
    free = shift.needed - _confirmed_count(shift.id)
    if free <= 0:
        return []
    waiting = list(db.session.scalars(
        select(Signup).where(Signup.shift_id == shift.id,
                             Signup.status == SignupStatus.WAITLISTED)
        .order_by(Signup.queued_at, Signup.id).limit(free)))
    for row in waiting:
        row.status, row.confirmed_at = SignupStatus.CONFIRMED, utcnow()
        audit.record("shift.promoted", "shift", shift.id, f"user {row.user_id}")
    return [row.user_id for row in waiting]


def withdraw(shift_id: int, user: User, reason: str = "self") -> list[int]:
    """Give up a place (or a waitlist place); returns who moved up from the waitlist."""
    try:
        shift = _lock_shift(shift_id)
        row = _signup_of(shift_id, user.id) if shift else None
        if shift is None or row is None or row.status not in ACTIVE:
            raise ShiftError("not_signed_up")
        if shift.starts_at <= utcnow() and reason == "self":
            raise ShiftError("started")
        was_confirmed = row.status == SignupStatus.CONFIRMED
        row.status, row.withdrawn_at = SignupStatus.WITHDRAWN, utcnow()
        if shift.lead_id == user.id:
            shift.lead_id = None
        audit.record("shift.withdrawn", "shift", shift.id, f"user {user.id}, {reason}")
        promoted = _promote(shift) if was_confirmed else []
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    _tell_promoted(shift_id, promoted)
    return promoted


def _tell_promoted(shift_id: int, user_ids: list[int]) -> None:
    """After the commit: each person who moved up gets a text."""
    if user_ids:
        tell_promoted(shift_id, user_ids)  # the text, with the shift's facts
        for user_id in user_ids:  # and an email, for whoever has one
            notify(user_id, "waitlist_promoted", path=f"/shifts/{shift_id}")


@on_access_cut
def withdraw_everywhere(user: User) -> int:
    """Free every upcoming place a person holds (suspension, offboarding)."""
    shift_ids = list(db.session.scalars(
        select(Signup.shift_id).join(Shift).where(
            Signup.user_id == user.id, Signup.status.in_(ACTIVE), Shift.starts_at > utcnow())))
    for shift_id in shift_ids:
        withdraw(shift_id, user, reason="access ended")
    return len(shift_ids)


def promote_waitlist(shift_id: int) -> list[int]:
    """After a coordinator adds places to a shift."""
    shift = _lock_shift(shift_id)
    promoted = _promote(shift) if shift and shift.status == ShiftStatus.OPEN else []
    db.session.commit()
    _tell_promoted(shift_id, promoted)
    return promoted


# -- check-in and check-out --------------------------------------------------------------

def check_in(shift: Shift, user: User, now: datetime | None = None) -> None:
    now = now or utcnow()
    row = _signup_of(shift.id, user.id)
    if row is None or row.status != SignupStatus.CONFIRMED or shift.status != ShiftStatus.OPEN:
        raise ShiftError("not_confirmed")
    if now < shift.starts_at - CHECKIN_EARLY:
        raise ShiftError("too_early")
    if row.checked_in_at is not None:
        raise ShiftError("already_in")
    row.checked_in_at = now
    audit.record("shift.checked_in", "shift", shift.id, f"user {user.id}")
    db.session.commit()


def check_out(shift: Shift, user: User, now: datetime | None = None) -> None:
    row = _signup_of(shift.id, user.id)
    if row is None or row.checked_in_at is None:
        raise ShiftError("not_in")
    if row.checked_out_at is not None:
        raise ShiftError("already_out")
    row.checked_out_at = now or utcnow()
    audit.record("shift.checked_out", "shift", shift.id, f"user {user.id}")
    db.session.commit()


def grace() -> timedelta:
    return timedelta(minutes=current_app.config["CHECKOUT_GRACE_MINUTES"])


def overdue_checkouts(now: datetime) -> list[Signup]:
    """Checked in, never checked out, past the shift's end plus the grace period, not alerted."""
    rows = db.session.scalars(
        select(Signup).join(Shift).options(joinedload(Signup.shift), joinedload(Signup.user))
        .where(Signup.status == SignupStatus.CONFIRMED, Signup.checked_in_at.is_not(None),
               Signup.checked_out_at.is_(None), Signup.checkout_alerted_at.is_(None),
               Shift.starts_at < now, Shift.starts_at > now - timedelta(days=2)))
    return [row for row in rows if row.shift.ends_at + grace() < now]


def _alert_coordinator(shift: Shift, volunteer: User) -> None:
    """Someone may be alone somewhere dangerous: tell the shift's coordinator at once (or,
    without a phone for them, the other coordinators; see `aid.shifts.notices`)."""
    texted = alarm_missed_checkout(shift, volunteer)
    audit.record("shift.checkout_missed", "shift", shift.id,
                 f"user {volunteer.id}, {texted} texted")
    db.session.commit()


def alert_missed_checkouts(now: datetime | None = None) -> int:
    """The periodic job: claim each overdue check-out (so it alerts once), then alert."""
    now = now or utcnow()
    sent = 0
    for row in overdue_checkouts(now):
        claimed = db.session.execute(
            update(Signup).where(Signup.id == row.id, Signup.checkout_alerted_at.is_(None))
            .values(checkout_alerted_at=now))
        db.session.commit()
        if claimed.rowcount != 1:  # type: ignore[attr-defined]
            continue  # another worker took it
        try:
            _alert_coordinator(row.shift, row.user)
        except Exception:
            # Un-claim, so the next run tries again: a missed alarm is worse than a repeat.
            db.session.rollback()
            db.session.execute(update(Signup).where(Signup.id == row.id)
                               .values(checkout_alerted_at=None))
            db.session.commit()
            raise
        sent += 1
    return sent


# -- reminders (sent by the SMS branch's task; the rules live here) ----------------------

@dataclass(frozen=True)
class Reminder:
    signup: Signup
    which: str  # "24h" or "2h"


def due_reminders(now: datetime) -> list[Reminder]:
    """Which confirmed volunteers should be reminded now, and of which reminder.

    Inside two hours only the 2-hour reminder is due (a "tomorrow" text would be wrong).
    """
    rows = db.session.scalars(
        select(Signup).join(Shift).options(joinedload(Signup.shift), joinedload(Signup.user))
        .where(Signup.status == SignupStatus.CONFIRMED, Shift.status == ShiftStatus.OPEN,
               Shift.starts_at > now, Shift.starts_at <= now + timedelta(hours=24))
        .order_by(Shift.starts_at, Signup.id))
    due = []
    for row in rows:
        if row.shift.starts_at - now <= timedelta(hours=2):
            if row.reminded_2h_at is None:
                due.append(Reminder(row, "2h"))
        elif row.reminded_24h_at is None:
            due.append(Reminder(row, "24h"))
    return due


def claim_reminder(signup_id: int, which: str, now: datetime | None = None,
                   commit: bool = True) -> bool:
    """Mark a reminder as sent before sending it; False if someone else already did.

    With `commit=False` the claim is committed by whatever commits next: the reminder task
    lets the gateway commit the claim and the queued text together, so a worker killed
    between the two leaves neither (sent later) nor a claim without its text (never sent).
    """
    column = {"24h": Signup.reminded_24h_at, "2h": Signup.reminded_2h_at}[which]
    result = db.session.execute(update(Signup).where(Signup.id == signup_id, column.is_(None))
                                .values({column.key: now or utcnow()}))
    if commit:
        db.session.commit()
    return result.rowcount == 1  # type: ignore[attr-defined]


# -- answers by text -------------------------------------------------------------------------

CURRENT_BEFORE = timedelta(minutes=30)  # "starting within 30 minutes"
CURRENT_AFTER = timedelta(hours=4)  # ...or ended within the last few hours (a late check-out)
ANSWER_WINDOW = timedelta(hours=48)  # YES/NO is about a shift in the next two days


def next_upcoming(user_ids: list[int], now: datetime) -> Signup | None:
    """The earliest place these people hold on an open shift not started, within 48 hours."""
    if not user_ids:
        return None
    return db.session.scalar(
        select(Signup).join(Shift).options(joinedload(Signup.shift), joinedload(Signup.user))
        .where(Signup.user_id.in_(user_ids), Signup.status.in_(ACTIVE),
               Shift.status == ShiftStatus.OPEN, Shift.starts_at > now,
               Shift.starts_at <= now + ANSWER_WINDOW)
        .order_by(Shift.starts_at, Signup.id).limit(1))


def current_places(user_ids: list[int], now: datetime) -> list[Signup]:
    """Confirmed places on open shifts happening now: starting within 30 minutes, under way,
    or ended within the last few hours. Earliest first."""
    if not user_ids:
        return []
    rows = db.session.scalars(
        select(Signup).join(Shift).options(joinedload(Signup.shift), joinedload(Signup.user))
        .where(Signup.user_id.in_(user_ids), Signup.status == SignupStatus.CONFIRMED,
               Shift.status == ShiftStatus.OPEN, Shift.starts_at <= now + CURRENT_BEFORE,
               Shift.starts_at > now - MAX_DURATION - CURRENT_AFTER)
        .order_by(Shift.starts_at, Signup.id))
    return [row for row in rows if row.shift.ends_at + CURRENT_AFTER >= now]


def reconfirm(row: Signup, now: datetime | None = None) -> None:
    """YES to a reminder: the volunteer is really coming."""
    row.reconfirmed_at = now or utcnow()
    audit.record("shift.reconfirmed", "shift", row.shift_id, f"user {row.user_id}",
                 actor_id=row.user_id)
    db.session.commit()
