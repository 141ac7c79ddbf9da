"""Claiming delivery rows, so several jobs (threads, processes, machines) share one alert and
never send the same row twice:

- PostgreSQL: `UPDATE ... WHERE id IN (SELECT ... FOR UPDATE SKIP LOCKED)`, so several workers
  on several machines never claim the same row;
- SQLite: the same single UPDATE statement (SQLite has one writer at a time, so the statement
  is atomic); a claim token marks which rows are this job's.

A claim is a lease: a worker killed mid-way leaves rows `claimed`, and `release_stale` hands
rows claimed longer than ALERT_CLAIM_STALE_SECONDS back out. A live job that is slow (a
loaded machine, a slow provider) keeps its rows with `renew` well before they look stale, and
drops the rows whose lease it lost instead of sending them: another job has them now.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import timedelta
from typing import Any

from flask import current_app
from sqlalchemy import exists, select, update

from aid.alerts.models import Alert, AlertState, Delivery, DeliveryState
from aid.extensions import db, rowcount
from aid.sms import gateway
from aid.timeutil import utcnow


def claim(alert_id: int, limit: int, token: str) -> list[int]:
    """Claim up to `limit` pending rows of this alert for `token` (new for every claim).
    Commits; returns their ids."""
    db.session.commit()  # start from a fresh transaction: the UPDATE comes first
    pick = (select(Delivery.id)
            .where(Delivery.alert_id == alert_id, Delivery.status == DeliveryState.PENDING)
            .order_by(Delivery.id).limit(limit)
            .with_for_update(skip_locked=True))  # rendered on PostgreSQL, ignored by SQLite
    db.session.execute(
        update(Delivery)
        .where(Delivery.id.in_(pick.scalar_subquery()), Delivery.status == DeliveryState.PENDING)
        .values(status=DeliveryState.CLAIMED, claim_token=token, claimed_at=utcnow())
        .execution_options(synchronize_session=False))
    db.session.commit()
    return list(db.session.scalars(select(Delivery.id).where(
        Delivery.alert_id == alert_id, Delivery.claim_token == token,
        Delivery.status == DeliveryState.CLAIMED).order_by(Delivery.id)))


def mark(ids: Sequence[int], token: str, state: DeliveryState) -> None:
    """Move this claim's rows to `state` (no commit). A text that went out while the
    coordinator pressed cancel did go out: `sent` also overwrites `cancelled`."""
    before = ((DeliveryState.CLAIMED, DeliveryState.CANCELLED) if state == DeliveryState.SENT
              else (DeliveryState.CLAIMED,))
    db.session.execute(
        update(Delivery).where(Delivery.id.in_(list(ids)), Delivery.claim_token == token,
                               Delivery.status.in_(before))
        .values(status=state).execution_options(synchronize_session=False))


def renew(alert_id: int, tokens: Collection[str]) -> set[int]:
    """Make these claims young again. Returns the ids of the rows still held (a row released
    as stale meanwhile is no longer this job's). Commits."""
    if not tokens:
        return set()
    held = db.session.scalars(
        update(Delivery)
        .where(Delivery.alert_id == alert_id, Delivery.status == DeliveryState.CLAIMED,
               Delivery.claim_token.in_(list(tokens)))
        .values(claimed_at=utcnow()).returning(Delivery.id)
        .execution_options(synchronize_session=False)).all()
    db.session.commit()
    return set(held)


def release_stale(alert_id: int) -> int:
    """Rows claimed too long ago (a worker that died) go back to pending. Commits."""
    cutoff = utcnow() - timedelta(seconds=current_app.config["ALERT_CLAIM_STALE_SECONDS"])
    stale = (select(Delivery.message_id).where(
        Delivery.alert_id == alert_id, Delivery.status == DeliveryState.CLAIMED,
        Delivery.claimed_at < cutoff, Delivery.message_id.is_not(None)))
    # Their texts may or may not have reached Twilio: the outbox says so, and the row is
    # sent again under a new message.
    gateway.abandon(stale.scalar_subquery(), "worker stopped mid-send: may have gone out")
    result = db.session.execute(
        update(Delivery)
        .where(Delivery.alert_id == alert_id, Delivery.status == DeliveryState.CLAIMED,
               Delivery.claimed_at < cutoff)
        .values(status=DeliveryState.PENDING, claim_token=None, claimed_at=None,
                message_id=None)
        .execution_options(synchronize_session=False))
    db.session.commit()
    return rowcount(result) or 0


def has_pending(alert_id: int) -> bool:
    return bool(db.session.scalar(select(exists().where(
        Delivery.alert_id == alert_id, Delivery.status == DeliveryState.PENDING))))


def _unfinished(alert_id: int) -> Any:
    return exists().where(Delivery.alert_id == alert_id, Delivery.status.in_(
        (DeliveryState.PENDING, DeliveryState.CLAIMED)))


def finish_if_done(alert_id: int) -> bool:
    """Mark a sending alert sent once every row is written and none is pending or claimed.
    Commits."""
    result = db.session.execute(
        update(Alert).where(Alert.id == alert_id, Alert.status == AlertState.SENDING,
                            Alert.filled_to.is_(None), ~_unfinished(alert_id))
        .values(status=AlertState.SENT, finished_at=utcnow())
        .execution_options(synchronize_session=False))
    db.session.commit()
    return bool(rowcount(result))
