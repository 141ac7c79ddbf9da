"""Handing a bulk text's messages to the provider, in the background (the gateway's rows
were made, suppressed numbers left out, in the approving transaction).

One job at a time sends a bulk text, under a lease on the bulk text row (`claim_token`,
`claimed_at`): a second job for the same text finds the lease held and leaves. The job
renews the lease before every text, so it only looks stale when the worker died (or one
send took longer than OUTREACH_CLAIM_STALE_SECONDS); the periodic `resume_stale` then starts
a new job, which takes the lease over and carries on from where the dead one stopped.

Each recipient's row is sent once: before a text goes to the provider, its link row is
marked `sending_at` in the transaction that records the previous text's outcome (one commit
per text). A job that takes over finds at most one row marked but without an outcome: the
text the dead worker was handing over, which may or may not have gone out. It is marked
failed ("may have gone out") and not sent again, so nobody gets a bulk text twice. A send
that fails inside a live job (an unexpected error from the provider's client) clears its
mark and releases the lease before the error goes on: nothing went out, and the next job
sends it.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Any, cast

from flask import current_app
from sqlalchemy import ColumnElement, CursorResult, Result, or_, select, update

from aid.extensions import db
from aid.outreach.models import BulkState, BulkText, BulkTextMessage
from aid.security import audit
from aid.sms import gateway
from aid.sms.backends import PermanentError, backend_for
from aid.sms.gateway import Attempt, Prepared
from aid.sms.models import MessageState, OutboundMessage
from aid.tasks import task
from aid.timeutil import utcnow

BATCH = 200  # rows read at a time (keyset on the message id)
INTERRUPTED = "worker stopped mid-send: may have gone out"


@task()
def send_bulk(bulk_id: int) -> None:
    send_all(bulk_id)


def _stale_before() -> datetime:
    return utcnow() - timedelta(seconds=current_app.config["OUTREACH_CLAIM_STALE_SECONDS"])


def _rowcount(result: Result[Any]) -> int:
    """Rows an UPDATE matched (every UPDATE's result is a CursorResult)."""
    return cast(CursorResult[Any], result).rowcount or 0


def _free() -> ColumnElement[bool]:
    """The lease is free: never taken, released, or older than the stale limit."""
    return or_(BulkText.claim_token.is_(None), BulkText.claimed_at < _stale_before())


def claim(bulk_id: int, token: str) -> bool:
    """Take the lease of a sending bulk text for `token`, unless a live job holds it. One
    UPDATE (atomic on SQLite and PostgreSQL alike). Commits."""
    db.session.commit()
    taken = _rowcount(db.session.execute(
        update(BulkText).where(BulkText.id == bulk_id, BulkText.status == BulkState.SENDING,
                               _free())
        .values(claim_token=token, claimed_at=utcnow())
        .execution_options(synchronize_session=False)))
    db.session.commit()
    return bool(taken)


def renew(bulk_id: int, token: str) -> bool:
    """Keep the lease young; False when it was lost (taken over as stale). No commit."""
    return bool(_rowcount(db.session.execute(
        update(BulkText).where(BulkText.id == bulk_id, BulkText.claim_token == token)
        .values(claimed_at=utcnow()).execution_options(synchronize_session=False))))


def release(bulk_id: int, token: str) -> None:
    """Give the lease up (no commit)."""
    db.session.execute(
        update(BulkText).where(BulkText.id == bulk_id, BulkText.claim_token == token)
        .values(claim_token=None, claimed_at=None)
        .execution_options(synchronize_session=False))


def _unsent(bulk_id: int, after: int) -> list[tuple[Prepared, bool]]:
    """The next rows not handed over yet, after message id `after`: each with whether a job
    was handing it over when it stopped."""
    rows = db.session.execute(
        select(OutboundMessage, BulkTextMessage.sending_at)
        .join(BulkTextMessage, BulkTextMessage.message_id == OutboundMessage.id)
        .where(BulkTextMessage.bulk_id == bulk_id, OutboundMessage.id > after,
               OutboundMessage.status == MessageState.QUEUED,
               OutboundMessage.provider_sid.is_(None))
        .order_by(OutboundMessage.id).limit(BATCH)).all()
    return [(Prepared(m.id, m.to_number, m.body, m.purpose), sending_at is not None)
            for m, sending_at in rows]


def _mark(bulk_id: int, message_id: int, sending: bool) -> None:
    """Say (or unsay) that this text is being handed over right now. No commit."""
    db.session.execute(
        update(BulkTextMessage).where(BulkTextMessage.bulk_id == bulk_id,
                                      BulkTextMessage.message_id == message_id)
        .values(sending_at=utcnow() if sending else None)
        .execution_options(synchronize_session=False))


def send_all(bulk_id: int) -> int:
    """Take the lease and hand every still-queued message of a bulk text to the provider,
    one at a time with the gateway's retries (the suppression list is asked again before a
    retry). Returns how many were handed over by this job; 0 when another job holds the
    lease. Commits."""
    try:
        backend = backend_for(current_app.config["SMS_BACKEND"])
    except PermanentError:
        current_app.logger.error("bulk text %s: no SMS backend %r", bulk_id,
                                 current_app.config["SMS_BACKEND"])
        return 0  # nothing claimed: the sweep tries again once the backend is set up
    token = secrets.token_hex(12)
    if not claim(bulk_id, token):
        return 0
    handed, after, lost = 0, 0, False
    done: list[tuple[Prepared, Attempt]] = []
    while not lost:
        batch = _unsent(bulk_id, after)
        db.session.commit()
        if not batch:
            break
        for text, interrupted in batch:
            after = text.message_id
            # One transaction: what became of the last text, the lease, this text's mark.
            gateway.record_batch(done)
            if not renew(bulk_id, token):
                db.session.commit()
                gateway.after_batch(done)
                done, lost = [], True
                break
            if interrupted:
                gateway.abandon([text.message_id], INTERRUPTED)
                db.session.commit()
                gateway.after_batch(done)
                done = []
                continue
            _mark(bulk_id, text.message_id, True)
            db.session.commit()
            gateway.after_batch(done)
            done = []
            try:
                attempt = gateway.send_prepared(backend, text, None)
            except Exception:
                # Nothing was handed over: the next job sends this one, and soon.
                db.session.rollback()
                _mark(bulk_id, text.message_id, False)
                release(bulk_id, token)
                db.session.commit()
                raise
            done.append((text, attempt))
            handed += 1 if attempt.handed_over else 0
    if done:
        gateway.record_batch(done)
        db.session.commit()
        gateway.after_batch(done)
    if lost:
        return handed
    db.session.execute(update(BulkText).where(BulkText.id == bulk_id,
                                              BulkText.status == BulkState.SENDING,
                                              BulkText.claim_token == token)
                       .values(status=BulkState.SENT, finished_at=utcnow(), claim_token=None,
                               claimed_at=None)
                       .execution_options(synchronize_session=False))
    audit.record("outreach.sent", "bulk_text", bulk_id, f"{handed} handed over")
    db.session.commit()
    return handed


def resume_stale() -> list[int]:
    """The periodic safety net: bulk texts still sending whose lease is free (their worker
    died, or their job was lost) get a job again. Returns their ids."""
    ids = list(db.session.scalars(select(BulkText.id).where(
        BulkText.status == BulkState.SENDING, _free()).order_by(BulkText.id)))
    db.session.commit()
    for bulk_id in ids:
        send_bulk(bulk_id)
    return ids
