"""Shift rules: create and edit, who may see what, lists, default capacities, reports.

Places on shifts (sign-up, waitlist, check-in/out, reminders) are in `aid.shifts.signups`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import joinedload

from aid.auth.models import User
from aid.extensions import db
from aid.notify.service import notify
from aid.pagination import Page, paginate
from aid.security import audit
from aid.security.access import Level
from aid.shifts import signups
from aid.shifts.models import (
    Shift,
    ShiftKind,
    ShiftKindDefault,
    ShiftReport,
    ShiftStatus,
    Signup,
    SignupStatus,
)
from aid.shifts.notices import local_when
from aid.timeutil import from_local, utcnow

BUILT_IN_CAPACITY = {ShiftKind.COURT: 3, ShiftKind.ICE_CHECKIN: 2, ShiftKind.MEDICAL: 1,
                     ShiftKind.SCHOOL_WALK: 2, ShiftKind.PATROL: 4, ShiftKind.HOTLINE: 3,
                     ShiftKind.OTHER: 2}


@dataclass
class ShiftData:
    kind: str
    status: str
    starts_at: datetime  # naive UTC
    duration_minutes: int
    area_id: int
    needed: int | None  # None: the kind's default capacity
    skills: list[str]
    languages: list[str]
    summary: str
    meeting_place: str


# -- default capacity per kind -----------------------------------------------------------

def capacities() -> dict[str, int]:
    saved = {row.kind: row.capacity for row in db.session.scalars(select(ShiftKindDefault))}
    return {kind.value: saved.get(kind.value, BUILT_IN_CAPACITY[kind]) for kind in ShiftKind}


def save_capacities(values: dict[str, int]) -> None:
    for kind, capacity in values.items():
        row = db.session.get(ShiftKindDefault, kind) or ShiftKindDefault(kind=kind)
        row.capacity = capacity
        db.session.add(row)
    audit.record("shift.capacities_changed", "settings", None,
                 ", ".join(f"{k} {v}" for k, v in sorted(values.items())))
    db.session.commit()


# -- create and edit ---------------------------------------------------------------------

def _apply(shift: Shift, data: ShiftData) -> None:
    shift.kind, shift.status = data.kind, data.status
    shift.starts_at, shift.duration_minutes = data.starts_at, data.duration_minutes
    shift.area_id = data.area_id
    shift.needed = data.needed or capacities()[data.kind]
    shift.skills_wanted = ",".join(data.skills)
    shift.languages_wanted = ",".join(data.languages)
    shift.summary, shift.meeting_place = data.summary.strip(), data.meeting_place.strip()


def create_shift(data: ShiftData, coordinator: User, request_id: int | None = None) -> Shift:
    """A new shift; `request_id` links it to the hotline request it answers."""
    shift = Shift(coordinator_id=coordinator.id, request_id=request_id)
    _apply(shift, data)
    db.session.add(shift)
    db.session.flush()
    audit.record("shift.created", "shift", shift.id, f"{shift.kind}, {shift.status}"
                 + (f", request {request_id}" if request_id else ""))
    db.session.commit()
    return shift


def update_shift(shift: Shift, data: ShiftData) -> list[int]:
    """Save changes; returns who moved up if the shift now has more places. Everyone
    confirmed or waitlisted is told when the shift moves or is cancelled."""
    before = (shift.status, shift.starts_at, shift.duration_minutes)
    _apply(shift, data)
    audit.record("shift.updated", "shift", shift.id, f"{shift.kind}, {shift.status}")
    db.session.commit()
    _tell_changed(shift, before)
    return signups.promote_waitlist(shift.id)


def _tell_changed(shift: Shift, before: tuple[str, datetime, int]) -> None:
    status, starts_at, minutes = before
    if status != ShiftStatus.OPEN:
        return  # a draft was never shown to anyone
    if shift.status == ShiftStatus.CANCELLED:
        kind, params = "shift_cancelled", {}
    elif (shift.starts_at, shift.duration_minutes) != (starts_at, minutes):
        kind, params = "shift_changed", {"when": local_when(shift.starts_at)}
    else:
        return
    people = db.session.scalars(select(Signup.user_id).where(
        Signup.shift_id == shift.id,
        Signup.status.in_([SignupStatus.CONFIRMED, SignupStatus.WAITLISTED]))).all()
    for user_id in people:
        notify(user_id, kind, path=f"/shifts/{shift.id}", params=params)


# -- who is on call for the voice hotline ---------------------------------------------------

def on_call(now: datetime | None = None) -> list[int]:
    """Volunteers confirmed on an open hotline shift under way at `now`, earliest sign-up
    first: the people the voice hotline rings."""
    now = now or utcnow()
    rows = db.session.execute(
        select(Signup.user_id, Shift.starts_at, Shift.duration_minutes)
        .join(Shift, Shift.id == Signup.shift_id)
        .where(Shift.kind == ShiftKind.HOTLINE, Shift.status == ShiftStatus.OPEN,
               Shift.starts_at <= now, Shift.starts_at > now - signups.MAX_DURATION,
               Signup.status == SignupStatus.CONFIRMED)
        .order_by(Signup.confirmed_at, Signup.id)).all()
    ids = [user_id for user_id, starts, minutes in rows
           if starts + timedelta(minutes=minutes) > now]
    return list(dict.fromkeys(ids))


# -- shifts for hotline requests -----------------------------------------------------------

@dataclass(frozen=True)
class LinkedRequest:
    """What a shift's pages show of the hotline request it answers: its code for the link,
    its area and language to start a new shift's form with."""

    id: int
    code: str
    area_id: int | None
    language: str


# The hotline registers its lookup (it sits above shifts: it makes shifts for its requests).
_request_lookup: list[Callable[[int], LinkedRequest | None]] = []


def look_up_requests_with(fn: Callable[[int], LinkedRequest | None]) -> Callable[
        [int], LinkedRequest | None]:
    """Register how a shift finds the hotline request it is for."""
    _request_lookup[:] = [fn]
    return fn


def linked_request(request_id: int | None) -> LinkedRequest | None:
    """The hotline request a shift is for (coordinators only ever reach this)."""
    if not request_id or not _request_lookup:
        return None
    return _request_lookup[0](request_id)


def shifts_for_request(request_id: int) -> list[Shift]:
    """Shifts made for a request, with their after-action reports (one query)."""
    return list(db.session.scalars(
        select(Shift).options(joinedload(Shift.report), joinedload(Shift.area))
        .where(Shift.request_id == request_id).order_by(Shift.starts_at)))


# -- who sees what -----------------------------------------------------------------------

def is_staff(user: User) -> bool:
    return user.level >= Level.COORDINATOR


def visible_to(shift: Shift, user: User) -> bool:
    """Drafts are for coordinators only; everything else is seen by vetted volunteers."""
    return is_staff(user) or shift.status != ShiftStatus.DRAFT


def signup_of(shift: Shift, user: User) -> Signup | None:
    return db.session.scalar(select(Signup).where(Signup.shift_id == shift.id,
                                                  Signup.user_id == user.id))


def may_see_place(shift: Shift, user: User, mine: Signup | None) -> bool:
    """The exact meeting place: coordinators, and volunteers confirmed on this open shift."""
    if is_staff(user):
        return True
    return (shift.status == ShiftStatus.OPEN and mine is not None
            and mine.status == SignupStatus.CONFIRMED)


def roster(shift: Shift) -> list[Signup]:
    return list(db.session.scalars(
        select(Signup).options(joinedload(Signup.user))
        .where(Signup.shift_id == shift.id, Signup.status.in_(signups.ACTIVE))
        .order_by(Signup.status, Signup.confirmed_at, Signup.queued_at, Signup.id)))


def dropped(shift: Shift) -> list[Signup]:
    """Who gave up a place on this shift (by text or on the web), latest first: coordinators
    see it on the shift page."""
    return list(db.session.scalars(
        select(Signup).options(joinedload(Signup.user))
        .where(Signup.shift_id == shift.id, Signup.status == SignupStatus.WITHDRAWN)
        .order_by(Signup.withdrawn_at.desc()).limit(20)))


def lead_id(shift: Shift, rows: list[Signup]) -> int | None:
    """The named lead if still confirmed, otherwise whoever was confirmed first."""
    confirmed = [r for r in rows if r.status == SignupStatus.CONFIRMED]
    if shift.lead_id and any(r.user_id == shift.lead_id for r in confirmed):
        return shift.lead_id
    return confirmed[0].user_id if confirmed else None


def set_lead(shift: Shift, user_id: int) -> bool:
    row = db.session.scalar(select(Signup).where(Signup.shift_id == shift.id,
                                                 Signup.user_id == user_id))
    if row is None or row.status != SignupStatus.CONFIRMED:
        return False
    shift.lead_id = user_id
    audit.record("shift.lead_set", "shift", shift.id, f"user {user_id}")
    db.session.commit()
    return True


# -- lists -------------------------------------------------------------------------------

@dataclass
class Filters:
    area_id: int | None = None
    kind: str = ""
    skill: str = ""
    from_date: date | None = None
    status: str = ""
    soon: bool = False  # open shifts in the next SOON_HOURS that still have open places


SOON_HOURS = 72


def confirmed_counts() -> Any:
    """Confirmed places per shift, as a subquery (shift_id, n)."""
    return (select(Signup.shift_id, func.count().label("n"))
            .where(Signup.status == SignupStatus.CONFIRMED).group_by(Signup.shift_id).subquery())


def soon_with_places(query: Select[Any], now: datetime | None = None) -> Select[Any]:
    """Narrow a query on shifts to open ones starting in the next SOON_HOURS with a place left."""
    now = now or utcnow()
    confirmed = confirmed_counts()
    return (query.outerjoin(confirmed, confirmed.c.shift_id == Shift.id)
            .where(Shift.status == ShiftStatus.OPEN, Shift.starts_at >= now,
                   Shift.starts_at < now + timedelta(hours=SOON_HOURS),
                   func.coalesce(confirmed.c.n, 0) < Shift.needed))


def shifts_page(viewer: User, filters: Filters) -> tuple[Page, dict[int, int], dict[int, str]]:
    """A page of upcoming shifts, their confirmed counts and the viewer's own places.

    Three queries (plus the count) whatever the number of shifts.
    """
    start = from_local(datetime.combine(filters.from_date, datetime.min.time())) \
        if filters.from_date else utcnow() - timedelta(hours=12)
    query = (select(Shift).options(joinedload(Shift.area)).where(Shift.starts_at >= start)
             .order_by(Shift.starts_at, Shift.id))
    if is_staff(viewer) and filters.status in {s.value for s in ShiftStatus}:
        query = query.where(Shift.status == filters.status)
    elif is_staff(viewer):
        query = query.where(Shift.status != ShiftStatus.CANCELLED)
    else:
        query = query.where(Shift.status == ShiftStatus.OPEN)
    if filters.area_id:
        query = query.where(Shift.area_id == filters.area_id)
    if filters.kind in {k.value for k in ShiftKind}:
        query = query.where(Shift.kind == filters.kind)
    if filters.skill:
        query = query.where(Shift.skills_wanted.contains(filters.skill))
    if filters.soon:
        query = soon_with_places(query)
    page = paginate(query)
    ids = [s.id for s in page.items]
    counts: dict[int, int] = {}
    mine: dict[int, str] = {}
    if ids:
        counts = dict(db.session.execute(
            select(Signup.shift_id, func.count()).where(
                Signup.shift_id.in_(ids), Signup.status == SignupStatus.CONFIRMED)
            .group_by(Signup.shift_id)).tuples().all())
        mine = dict(db.session.execute(
            select(Signup.shift_id, Signup.status).where(
                Signup.shift_id.in_(ids), Signup.user_id == viewer.id,
                Signup.status.in_(signups.ACTIVE))).tuples().all())
    return page, counts, mine


def my_signups(user: User, upcoming: bool = True, limit: int = 50) -> list[Signup]:
    now = utcnow()
    query = (select(Signup).join(Shift)
             .options(joinedload(Signup.shift).joinedload(Shift.area))
             .where(Signup.user_id == user.id, Signup.status.in_(signups.ACTIVE),
                    Shift.status != ShiftStatus.DRAFT))
    if upcoming:
        query = query.where(Shift.starts_at >= now - timedelta(hours=12)).order_by(Shift.starts_at)
    else:
        query = query.where(Shift.starts_at < now - timedelta(hours=12)).order_by(
            Shift.starts_at.desc())
    return list(db.session.scalars(query.limit(limit)))


def calendar_signups(user: User) -> list[Signup]:
    """Confirmed places from a month back onwards, for the private calendar feed."""
    return list(db.session.scalars(
        select(Signup).join(Shift).options(joinedload(Signup.shift).joinedload(Shift.area))
        .where(Signup.user_id == user.id, Signup.status == SignupStatus.CONFIRMED,
               Shift.status != ShiftStatus.DRAFT,
               Shift.starts_at >= utcnow() - timedelta(days=30))
        .order_by(Shift.starts_at).limit(500)))


# -- after-action report -----------------------------------------------------------------

def may_report(shift: Shift, user: User, rows: list[Signup]) -> bool:
    if shift.starts_at > utcnow() or shift.status != ShiftStatus.OPEN:
        return False
    return is_staff(user) or lead_id(shift, rows) == user.id


def save_report(shift: Shift, author: User, outcome: str, summary: str,
                next_date: date | None, follow_ups: str) -> ShiftReport:
    report = shift.report or ShiftReport(shift_id=shift.id)
    report.author_id, report.outcome = author.id, outcome
    report.summary, report.next_date = summary.strip(), next_date
    report.follow_ups = follow_ups.strip() or None
    db.session.add(report)
    audit.record("shift.report_filed", "shift", shift.id, outcome)
    db.session.commit()
    return report
