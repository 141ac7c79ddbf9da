"""Verification by several people, expiry and merging of reports.

Each person who checks a report gives one verdict (confirmed, probable, not seen, false) with
a note; a later verdict of the same person replaces their earlier one. With N the network's
"verifiers needed" (Admin > Settings; 1 by default, 2 recommended), C, P and F the number of
distinct people whose verdict is confirmed, probable and false:

- false      when F >= N and F > C;
- confirmed  when C >= N and C > F;
- probable   otherwise, when C + P > 0 (some support, not enough: "unconfirmed, be careful");
- unverified (or "being checked" once responders were asked) otherwise.

"Not seen" moves nothing: the activity may have left before the person arrived. A report is
current for the network's "report hours" after it came in; each confirmed or probable
verdict moves that on from its own time, so a report nobody re-confirms expires and can no
longer back an alert. Reports in the same area that came in within "merge minutes" of each
other are offered for merging; the merged one's photos, verdicts and responders go to the
report that carries on.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import force_locale, ngettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from aid.alerts.models import (
    OPEN_REPORT_STATES,
    Dispatch,
    Report,
    ReportPhoto,
    ReportState,
    Verdict,
    VerdictKind,
)
from aid.auth.models import User
from aid.errors import Conflict, Invalid
from aid.extensions import db
from aid.network.service import current_settings
from aid.security import audit
from aid.timeutil import utcnow

SUPPORTING = (VerdictKind.CONFIRMED, VerdictKind.PROBABLE)
SETTLED = (ReportState.FALSE, ReportState.EXPIRED, ReportState.MERGED)


@dataclass(frozen=True)
class Tally:
    confirmed: int = 0
    probable: int = 0
    not_seen: int = 0
    false: int = 0


def needed() -> int:
    return max(1, int(current_settings().verifiers_needed or 1))


def lifetime() -> timedelta:
    return timedelta(hours=max(1, int(current_settings().report_hours or 4)))


def tally(report: Report) -> Tally:
    counts = dict.fromkeys(VerdictKind, 0)
    for outcome in db.session.scalars(select(Verdict.outcome).where(
            Verdict.report_id == report.id)):
        if outcome in counts:
            counts[VerdictKind(outcome)] += 1
    return Tally(counts[VerdictKind.CONFIRMED], counts[VerdictKind.PROBABLE],
                 counts[VerdictKind.NOT_SEEN], counts[VerdictKind.FALSE])


def level_of(t: Tally, n: int, asked: bool) -> ReportState:
    """The rule in the module's docstring."""
    if t.false >= n and t.false > t.confirmed:
        return ReportState.FALSE
    if t.confirmed >= n and t.confirmed > t.false:
        return ReportState.CONFIRMED
    if t.confirmed + t.probable > 0:
        return ReportState.PROBABLE
    return ReportState.DISPATCHED if asked else ReportState.UNVERIFIED


def verdicts(report: Report) -> list[Verdict]:
    return list(db.session.scalars(select(Verdict).where(Verdict.report_id == report.id)
                                   .order_by(Verdict.created_at, Verdict.id)))


def verdict_of(report: Report, user: User) -> Verdict | None:
    return db.session.scalar(select(Verdict).where(Verdict.report_id == report.id,
                                                   Verdict.user_id == user.id))


def record_verdict(report: Report, user: User, outcome: str, note: str,
                   now: datetime | None = None) -> ReportState:
    """Save `user`'s verdict and move the report to the level that follows. The caller checks
    that `user` may judge this report. Commits; returns the new level."""
    if outcome not in set(VerdictKind):
        raise Invalid("unknown verdict")
    refresh_expiry(report, now)
    if report.status in SETTLED:
        raise Conflict("settled", message=_l("This report is already settled."))
    now = now or utcnow()
    row = verdict_of(report, user)
    if row is None:
        row = Verdict(report_id=report.id, user_id=user.id)
        db.session.add(row)
    row.outcome, row.note, row.created_at = outcome, note.strip()[:1000], now
    db.session.flush()
    asked = db.session.scalar(select(Dispatch.id).where(Dispatch.report_id == report.id)
                              .limit(1)) is not None
    level = level_of(tally(report), needed(), asked)
    if outcome in SUPPORTING:  # seen again: current for another period from now
        report.expires_at = now + lifetime()
    report.status, report.is_open = level, level in OPEN_REPORT_STATES
    report.verification_note = row.note
    if level in (ReportState.CONFIRMED, ReportState.FALSE):
        report.verified_by_id, report.verified_at = user.id, now
    audit.record("report.verdict", "report", report.id, f"{outcome} -> {level}")
    db.session.commit()
    return level


def refresh_expiry(report: Report, now: datetime | None = None) -> bool:
    """Mark the report expired when its time has passed (also done by the periodic job)."""
    now = now or utcnow()
    if report.expires_at is None or report.expires_at > now or report.status in SETTLED:
        return False
    report.status, report.is_open = ReportState.EXPIRED, False
    audit.record("report.expired", "report", report.id)
    db.session.commit()
    return True


def expire_due(now: datetime | None = None) -> int:
    """Every report whose time has passed (the periodic job). Commits."""
    now = now or utcnow()
    ids = list(db.session.scalars(select(Report.id).where(
        Report.expires_at <= now, Report.status.not_in(SETTLED))))
    if ids:
        db.session.execute(update(Report).where(Report.id.in_(ids)).values(
            status=ReportState.EXPIRED, is_open=False).execution_options(
            synchronize_session=False))
        audit.record("report.expired", "report", None, f"{len(ids)} reports")
        db.session.commit()
    return len(ids)


# -- merging ------------------------------------------------------------------------------

def near(report: Report, now: datetime | None = None) -> list[Report]:
    """Other current reports of the same area that came in close in time to this one."""
    if report.area_id is None or report.status in SETTLED:
        return []
    window = timedelta(minutes=max(1, int(current_settings().merge_minutes or 60)))
    now = now or utcnow()
    return list(db.session.scalars(select(Report).where(
        Report.id != report.id, Report.area_id == report.area_id,
        Report.status.not_in(SETTLED),
        (Report.expires_at.is_(None)) | (Report.expires_at > now),
        Report.created_at >= report.created_at - window,
        Report.created_at <= report.created_at + window).order_by(Report.created_at)))


def merge(source: Report, into: Report, by: User) -> Report:
    """`source` is the same event as `into`: its photos, responders and verdicts (of people
    who gave none on `into`) move over, `source` is marked merged. Commits."""
    if source.id == into.id or into.status in SETTLED or source.status in SETTLED:
        raise Conflict("not mergeable", message=_l("These reports cannot be merged."))
    if source not in near(into):
        raise Conflict("not near", message=_l("These reports are not close enough to merge."))
    db.session.execute(update(ReportPhoto).where(ReportPhoto.report_id == source.id)
                       .values(report_id=into.id).execution_options(synchronize_session=False))
    have = set(db.session.scalars(select(Dispatch.user_id).where(Dispatch.report_id == into.id)))
    for row in db.session.scalars(select(Dispatch).where(Dispatch.report_id == source.id)):
        if row.user_id not in have:
            db.session.add(Dispatch(report_id=into.id, user_id=row.user_id))
    judged = {v.user_id for v in verdicts(into)}
    for verdict in verdicts(source):
        if verdict.user_id is not None and verdict.user_id not in judged:
            verdict.report_id = into.id
    source.status, source.is_open, source.merged_into_id = ReportState.MERGED, False, into.id
    if source.expires_at and (into.expires_at is None or source.expires_at > into.expires_at):
        into.expires_at = source.expires_at
    db.session.flush()
    asked = db.session.scalar(select(Dispatch.id).where(Dispatch.report_id == into.id)
                              .limit(1)) is not None
    level = level_of(tally(into), needed(), asked)
    into.status, into.is_open = level, level in OPEN_REPORT_STATES
    audit.record("report.merged", "report", into.id, f"from {source.id}", actor_id=by.id)
    db.session.commit()
    return into


# -- what an alert says -------------------------------------------------------------------

def level_key(report: Report) -> str:
    """What an alert's text states about the report: "confirmed:2" or "probable"."""
    if report.status == ReportState.CONFIRMED:
        # At least one: a report confirmed before verdicts were counted has none on file.
        return f"confirmed:{max(1, tally(report).confirmed)}"
    return "probable"


def level_line(key: str, language: str) -> str:
    """The sentence an alert built from a report carries (plain GSM-7 in both languages, so
    it never turns the text into a costlier encoding)."""
    with force_locale(language):
        if key.startswith("confirmed:"):
            n = int(key.partition(":")[2] or 0)
            return ngettext("Confirmed by %(num)d responder.", "Confirmed by %(num)d responders.",
                            n)
        return str(_l("Unconfirmed, be careful."))
