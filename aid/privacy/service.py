"""Retention: each kind of record is deleted once it is older than the period an admin set.

One function per kind, each returning how many rows went (or would go, with `dry_run`). The
periodic job and `aid purge` both call `purge_all`; the counts are logged, never the content.
Rows are deleted, not flagged: on SQLite `secure_delete` overwrites them on disk, on
PostgreSQL autovacuum reclaims the space (see docs/operations.md for VACUUM FULL).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import ColumnElement, Select, delete, func, select

from aid.auth.models import Role, SetupToken, Status, User
from aid.extensions import db
from aid.privacy.models import RETENTION_DEFAULTS, RetentionSettings
from aid.security import audit
from aid.security.audit import AuditEvent
from aid.timeutil import utcnow

BATCH = 500


# -- settings --------------------------------------------------------------------------------

def current_retention() -> RetentionSettings:
    row = db.session.scalar(select(RetentionSettings).limit(1))
    if row is None:
        # The environment's older settings, when set, are the starting values.
        defaults = {**RETENTION_DEFAULTS,
                    "requests": current_app.config.get("RETENTION_RESOLVED_DAYS", 90),
                    "board_posts": current_app.config.get("BOARD_RETENTION_DAYS", 30)}
        row = RetentionSettings(**defaults)
        db.session.add(row)
        db.session.commit()
    return row


def retention_days(kind: str) -> int:
    """Days a kind of record is kept; read by the features when they set a purge date."""
    return int(getattr(current_retention(), kind))


def save_retention(values: dict[str, int]) -> None:
    row = current_retention()
    changed = [k for k in RETENTION_DEFAULTS if k in values and getattr(row, k) != values[k]]
    for kind in changed:
        setattr(row, kind, int(values[kind]))
    if changed:
        audit.record("retention.changed", None, None,
                     ", ".join(f"{k} {values[k]}d" for k in changed))
    db.session.commit()


# -- one function per kind -------------------------------------------------------------------

def _count(query: Select) -> int:
    return db.session.scalar(select(func.count()).select_from(query.subquery())) or 0


def _delete_where(model: type, condition: ColumnElement[bool], dry_run: bool) -> int:
    """Delete matching rows in batches (a long purge must not hold one huge transaction)."""
    if dry_run:
        return _count(select(model.id).where(condition))
    total = 0
    while True:
        ids = list(db.session.scalars(select(model.id).where(condition).limit(BATCH)))
        if not ids:
            return total
        db.session.execute(delete(model).where(model.id.in_(ids)))
        db.session.commit()
        total += len(ids)


def purge_requests(cutoff: datetime, dry_run: bool = False) -> int:
    """Resolved and closed hotline requests ended before `cutoff`, with their timelines."""
    from aid.hotline.models import ENDED_STATES, HelpRequest, RequestEvent

    condition = (HelpRequest.status.in_([s.value for s in ENDED_STATES])
                 & HelpRequest.ended_at.is_not(None) & (HelpRequest.ended_at <= cutoff))
    if dry_run:
        return _count(select(HelpRequest.id).where(condition))
    total = 0
    while ids := list(db.session.scalars(select(HelpRequest.id).where(condition).limit(BATCH))):
        db.session.execute(delete(RequestEvent).where(RequestEvent.request_id.in_(ids)))
        db.session.execute(HelpRequest.__table__.update()
                           .where(HelpRequest.merged_into_id.in_(ids)).values(merged_into_id=None))
        db.session.execute(delete(HelpRequest).where(HelpRequest.id.in_(ids)))
        db.session.commit()
        total += len(ids)
    return total


def purge_board_posts(cutoff: datetime, dry_run: bool = False) -> int:
    """Closed board posts (the board's own purge, with the admin's period)."""
    from aid.board import moderation
    from aid.board.models import Post

    if dry_run:
        return _count(select(Post.id).where(moderation.purgeable(utcnow(), cutoff)))
    total = 0
    while n := moderation.purge(utcnow(), cutoff):
        total += n
    return total


def purge_subscribers_left(cutoff: datetime, dry_run: bool = False) -> int:
    from aid.sms.models import Subscriber

    return _delete_where(Subscriber, (Subscriber.status != "active")
                         & Subscriber.stopped_at.is_not(None) & (Subscriber.stopped_at <= cutoff),
                         dry_run)


def purge_sms_outbound(cutoff: datetime, dry_run: bool = False) -> int:
    from aid.sms.models import OutboundMessage

    return _delete_where(OutboundMessage, OutboundMessage.created_at <= cutoff, dry_run)


def purge_sms_inbound(cutoff: datetime, dry_run: bool = False) -> int:
    from aid.sms.models import InboundMessage

    return _delete_where(InboundMessage, InboundMessage.received_at <= cutoff, dry_run)


def purge_codes(cutoff: datetime, dry_run: bool = False) -> int:
    from aid.sms.models import VerificationCode

    return _delete_where(VerificationCode, VerificationCode.created_at <= cutoff, dry_run)


def purge_audit(cutoff: datetime, dry_run: bool = False) -> int:
    return _delete_where(AuditEvent, AuditEvent.at <= cutoff, dry_run)


def purge_setup_tokens(cutoff: datetime, dry_run: bool = False) -> int:
    return _delete_where(SetupToken, SetupToken.expires_at <= cutoff, dry_run)


def purge_applications(cutoff: datetime, dry_run: bool = False) -> int:
    """Volunteer accounts still waiting for vetting since before `cutoff`: the person never
    became part of the network, so what they told us at sign-up should not stay."""
    from aid.privacy.owndata import delete_account

    condition = ((User.role == Role.VOLUNTEER) & (User.status == Status.APPLIED)
                 & (User.created_at <= cutoff))
    if dry_run:
        return _count(select(User.id).where(condition))
    users = list(db.session.scalars(select(User).where(condition).limit(BATCH)))
    for user in users:
        delete_account(user, reason="retention")
    return len(users)


PURGERS: dict[str, Callable[[datetime, bool], int]] = {
    "requests": purge_requests,
    "board_posts": purge_board_posts,
    "subscribers_left": purge_subscribers_left,
    "sms_outbound": purge_sms_outbound,
    "sms_inbound": purge_sms_inbound,
    "codes": purge_codes,
    "audit": purge_audit,
    "setup_tokens": purge_setup_tokens,
    "applications": purge_applications,
}


def purge_all(dry_run: bool = False, now: datetime | None = None,
              kinds: list[str] | None = None) -> dict[str, int]:
    """Run every kind's purge (or count, with `dry_run`); returns {kind: rows}."""
    now = now or utcnow()
    settings = current_retention()
    counts: dict[str, int] = {}
    for kind, purger in PURGERS.items():
        if kinds is not None and kind not in kinds:
            continue
        counts[kind] = purger(now - timedelta(days=getattr(settings, kind)), dry_run)
    if not dry_run:
        removed = {k: n for k, n in counts.items() if n}
        if removed:
            # Numbers only: what kind of record and how many, never which or what they said.
            audit.record("retention.purged", None, None,
                         ", ".join(f"{k} {n}" for k, n in removed.items()))
            db.session.commit()
        current_app.logger.info("retention purge: %s", counts)
    return counts
