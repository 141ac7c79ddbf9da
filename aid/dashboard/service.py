"""The coordinators' dashboard: what waits now, and how the network is doing.

Counts only: no name, phone or text ever leaves these queries. The page runs a fixed number
of aggregate statements whatever the size of the tables (a test counts them):
1. what waits now, every count in one statement of scalar subqueries;
2. requests per week by category and by state, over WEEKS weeks;
3-6. the median times to first action and to resolution (a count, then the middle rows);
7. shift places filled; 8. alert deliveries by outcome; 9. volunteers by status.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, case, func, select

from aid.alerts import service as alerts
from aid.alerts.models import Alert, AlertState, Report
from aid.auth.models import Role, User
from aid.board.models import Post, PostStatus
from aid.extensions import db
from aid.hotline.models import (
    OPEN_STATES,
    URGENCY_RANK,
    EventKind,
    HelpRequest,
    RequestEvent,
    Urgency,
)
from aid.hotline.models import State as RequestState
from aid.hotline.service import stale_before
from aid.shifts import service as shifts
from aid.shifts.models import Shift, ShiftStatus
from aid.timeutil import from_local, to_local, utcnow
from aid.volunteers import service as volunteers

WEEKS = 8  # the charts' window: this week and the seven before it
SHIFT_DAYS_BACK, SHIFT_DAYS_AHEAD = 28, 14


@dataclass
class Waiting:
    urgent_new: int = 0
    new: int = 0
    stale: int = 0
    ready_applicants: int = 0
    pending_posts: int = 0
    flagged_posts: int = 0
    reports_to_verify: int = 0
    shifts_with_places: int = 0
    alerts_to_approve: int = 0


def _count(query: Select[Any]) -> Any:
    return select(func.count()).select_from(query.subquery()).scalar_subquery()


def waiting(now: datetime | None = None) -> Waiting:
    """Everything that waits for a coordinator, counted in one statement."""
    now = now or utcnow()
    new = HelpRequest.status == RequestState.NEW
    open_ = HelpRequest.status.in_([str(s) for s in OPEN_STATES])
    urgent = HelpRequest.urgency == URGENCY_RANK[Urgency.NOW]
    counts = {
        "urgent_new": _count(select(HelpRequest.id).where(new, urgent)),
        "new": _count(select(HelpRequest.id).where(new)),
        "stale": _count(select(HelpRequest.id).where(open_,
                                                     HelpRequest.handled_at < stale_before())),
        "ready_applicants": _count(volunteers.ready_applicants()),
        "pending_posts": _count(select(Post.id).where(Post.status == PostStatus.PENDING)),
        "flagged_posts": _count(select(Post.id).where(Post.flag_count > 0)),
        "reports_to_verify": _count(select(Report.id).where(Report.is_open.is_(True))),
        "shifts_with_places": _count(shifts.soon_with_places(select(Shift.id), now)),
        "alerts_to_approve": _count(select(Alert.id).where(Alert.status == AlertState.PENDING)),
    }
    row = db.session.execute(select(*(q.label(k) for k, q in counts.items()))).one()
    return Waiting(**{k: int(v or 0) for k, v in row._mapping.items()})


# -- requests per week --------------------------------------------------------------------

def week_starts(now: datetime | None = None, weeks: int = WEEKS) -> list[date]:
    """The Mondays (in the network's zone) that start each week of the window, oldest first."""
    today = to_local(now or utcnow()).date()
    monday = today - timedelta(days=today.weekday())
    return [monday - timedelta(weeks=weeks - 1 - i) for i in range(weeks)]


def _utc(day: date) -> datetime:
    return from_local(datetime.combine(day, datetime.min.time()))


@dataclass
class Weekly:
    weeks: list[date]
    by_category: dict[tuple[int, str], int] = field(default_factory=dict)
    by_state: dict[tuple[int, str], int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.by_category.values())


def requests_per_week(now: datetime | None = None) -> Weekly:
    """Requests that came in each week, by category and by the state they are in now."""
    weeks = week_starts(now)
    bounds = [_utc(d) for d in weeks]
    week = case(*((HelpRequest.created_at < b, i - 1) for i, b in enumerate(bounds) if i),
                else_=len(bounds) - 1).label("week")
    rows = db.session.execute(
        select(week, HelpRequest.category, HelpRequest.status, func.count())
        .where(HelpRequest.created_at >= bounds[0])
        .group_by(week, HelpRequest.category, HelpRequest.status))
    result = Weekly(weeks=weeks)
    for index, category, status, n in rows:
        key_c, key_s = (int(index), category), (int(index), status)
        result.by_category[key_c] = result.by_category.get(key_c, 0) + n
        result.by_state[key_s] = result.by_state.get(key_s, 0) + n
    return result


# -- how quickly ------------------------------------------------------------------------------

def seconds_between(start: Any, end: Any) -> ColumnElement[Any]:
    """`end - start` in seconds, on PostgreSQL and SQLite alike."""
    if db.engine.dialect.name == "postgresql":
        return func.extract("epoch", end - start)
    return (func.julianday(end) - func.julianday(start)) * 86400.0


def median(durations: Select[Any]) -> float | None:
    """The median of a one-column query, computed by the database: a count, then the one or
    two middle rows (no row of it is read into Python but those)."""
    sub = durations.subquery()
    column = next(iter(sub.c))
    n = db.session.scalar(select(func.count()).select_from(sub)) or 0
    if not n:
        return None
    middle = list(db.session.scalars(select(column).order_by(column)
                                     .offset((n - 1) // 2).limit(1 if n % 2 else 2)))
    return float(sum(middle)) / len(middle)


def first_action_seconds(since: datetime) -> Select[Any]:
    """For requests that came in since `since`: seconds until the team first acted on one
    (a triage, status change, assignment, note or reply by a person)."""
    first = (select(RequestEvent.request_id, func.min(RequestEvent.at).label("at"))
             .where(RequestEvent.actor_id.is_not(None), RequestEvent.kind != EventKind.CREATED)
             .group_by(RequestEvent.request_id).subquery())
    return (select(seconds_between(HelpRequest.created_at, first.c.at).label("s"))
            .join(first, first.c.request_id == HelpRequest.id)
            .where(HelpRequest.created_at >= since))


def resolution_seconds(since: datetime) -> Select[Any]:
    """For requests resolved since `since`: seconds from coming in to resolved."""
    return (select(seconds_between(HelpRequest.created_at, HelpRequest.ended_at).label("s"))
            .where(HelpRequest.status == RequestState.RESOLVED,
                   HelpRequest.ended_at.is_not(None), HelpRequest.ended_at >= since))


# -- shifts, alerts, volunteers ---------------------------------------------------------------

@dataclass
class Fill:
    shifts: int
    needed: int
    filled: int

    @property
    def percent(self) -> int | None:
        return round(100 * self.filled / self.needed) if self.needed else None


def shift_fill(now: datetime | None = None) -> Fill:
    """Open shifts from four weeks ago to two weeks ahead: places needed and places taken
    (a shift with more confirmed than needed counts as full, not more)."""
    now = now or utcnow()
    confirmed = shifts.confirmed_counts()
    taken = func.coalesce(confirmed.c.n, 0)
    row = db.session.execute(
        select(func.count(Shift.id), func.coalesce(func.sum(Shift.needed), 0),
               func.coalesce(func.sum(case((taken > Shift.needed, Shift.needed), else_=taken)), 0))
        .outerjoin(confirmed, confirmed.c.shift_id == Shift.id)
        .where(Shift.status == ShiftStatus.OPEN,
               Shift.starts_at >= now - timedelta(days=SHIFT_DAYS_BACK),
               Shift.starts_at < now + timedelta(days=SHIFT_DAYS_AHEAD))).one()
    return Fill(shifts=int(row[0]), needed=int(row[1]), filled=int(row[2]))


@dataclass
class Deliveries:
    counts: dict[str, int]

    @property
    def handed_over(self) -> int:
        """Texts given to the provider, whatever became of them."""
        return sum(self.counts[k] for k in ("sent", "delivered", "failed"))

    @property
    def percent(self) -> int | None:
        handed = self.handed_over
        return round(100 * self.counts["delivered"] / handed) if handed else None


def alert_deliveries(since: datetime) -> Deliveries:
    return Deliveries(counts=alerts.delivery_totals(since))


def volunteers_by_status() -> dict[str, int]:
    rows = db.session.execute(select(User.status, func.count()).where(
        User.role == Role.VOLUNTEER).group_by(User.status))
    return {status: n for status, n in rows}


# -- the whole page -----------------------------------------------------------------------------

@dataclass
class Dashboard:
    waiting: Waiting
    weekly: Weekly
    first_action: float | None
    resolution: float | None
    fill: Fill
    deliveries: Deliveries
    volunteers: dict[str, int]
    since: date


def dashboard(now: datetime | None = None) -> Dashboard:
    now = now or utcnow()
    weekly = requests_per_week(now)
    since = _utc(weekly.weeks[0])
    return Dashboard(
        waiting=waiting(now), weekly=weekly,
        first_action=median(first_action_seconds(since)),
        resolution=median(resolution_seconds(since)),
        fill=shift_fill(now), deliveries=alert_deliveries(since),
        volunteers=volunteers_by_status(), since=weekly.weeks[0])
