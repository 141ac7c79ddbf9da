"""The fan-out: one delivery row per recipient, and workers that send them.

Approval inserts every delivery row with one `INSERT ... SELECT` in the same transaction that
moves the alert to `sending` (nothing is loaded into Python, so 10,000 or 100,000 recipients
cost the same memory). Worker jobs then claim pending rows in batches:

- PostgreSQL: `UPDATE ... WHERE id IN (SELECT ... FOR UPDATE SKIP LOCKED)`, so several workers
  on several machines never claim the same row;
- SQLite: the same single UPDATE statement (SQLite has one writer at a time, so the statement
  is atomic); a claim token marks which rows are this job's.

Each claimed row is checked again right before its send (still ours? not cancelled? the
subscriber still active?) and the gateway checks the suppression list once more, so an
opt-out or a cancel that lands mid-way wins. A row is marked sent the moment the gateway
returns. A worker killed mid-way leaves rows `claimed`: the periodic `requeue` hands rows
claimed longer than ALERT_CLAIM_STALE_SECONDS back out. Only a send that had reached Twilio
but not been recorded when the worker died is repeated: at most ALERT_CONCURRENCY per job.
"""

from __future__ import annotations

import secrets
import threading
import time
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from datetime import timedelta
from typing import Any

from flask import Flask, current_app
from sqlalchemy import Integer, Select, String, case, exists, func, literal, select, update

from aid.alerts.models import Alert, AlertState, Delivery, DeliveryState
from aid.extensions import db
from aid.sms.models import Subscriber, Suppression
from aid.sms.subscriptions import audience
from aid.timeutil import utcnow

SENT_STATUSES = {"queued", "sent", "delivered"}


# -- who gets it ----------------------------------------------------------------------------

def _recipients(area_ids: list[int], topics: list[str]) -> Select[Any]:
    """Active subscribers for these areas and topics whose number is not suppressed."""
    return audience(area_ids or None, topics).where(
        ~exists().where(Suppression.phone_index == Subscriber.phone_index))


def _language(languages: list[str]) -> Any:
    """The subscriber's language if the alert has a body in it, else the alert's first."""
    return case((Subscriber.language.in_(languages), Subscriber.language),
                else_=literal(languages[0], String))


def counts_by_language(area_ids: list[int], topics: list[str],
                       languages: list[str]) -> dict[str, int]:
    """Exact recipients per body language, as the fan-out would create them."""
    if not topics or not languages:
        return {}
    lang = _language(languages).label("lang")
    query = _recipients(area_ids, topics).with_only_columns(lang, func.count()).group_by(
        lang).order_by(None)
    found = {row[0]: row[1] for row in db.session.execute(query)}
    return {code: found.get(code, 0) for code in languages}


def create_deliveries(alert: Alert) -> int:
    """Insert one pending row per recipient (no commit: the caller's transaction also moves
    the alert to `sending`). Returns how many."""
    languages = [b.language for b in alert.bodies]
    query = _recipients([a.id for a in alert.areas], alert.topic_list).with_only_columns(
        literal(alert.id, Integer), Subscriber.id, _language(languages),
        literal(DeliveryState.PENDING.value, String))
    db.session.execute(Delivery.__table__.insert().from_select(
        ["alert_id", "subscriber_id", "language", "status"], query))
    return db.session.scalar(select(func.count(Delivery.id)).where(
        Delivery.alert_id == alert.id)) or 0


# -- claiming ---------------------------------------------------------------------------------

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


def release_stale(alert_id: int) -> int:
    """Rows claimed too long ago (a worker that died) go back to pending. Commits."""
    cutoff = utcnow() - timedelta(seconds=current_app.config["ALERT_CLAIM_STALE_SECONDS"])
    result = db.session.execute(
        update(Delivery)
        .where(Delivery.alert_id == alert_id, Delivery.status == DeliveryState.CLAIMED,
               Delivery.claimed_at < cutoff)
        .values(status=DeliveryState.PENDING, claim_token=None, claimed_at=None)
        .execution_options(synchronize_session=False))
    db.session.commit()
    return result.rowcount or 0


def _unfinished(alert_id: int) -> Any:
    return exists().where(Delivery.alert_id == alert_id, Delivery.status.in_(
        (DeliveryState.PENDING, DeliveryState.CLAIMED)))


def finish_if_done(alert_id: int) -> bool:
    """Mark a sending alert sent once no row is pending or claimed. Commits."""
    result = db.session.execute(
        update(Alert).where(Alert.id == alert_id, Alert.status == AlertState.SENDING,
                            ~_unfinished(alert_id))
        .values(status=AlertState.SENT, finished_at=utcnow())
        .execution_options(synchronize_session=False))
    db.session.commit()
    return bool(result.rowcount)


# -- pacing ------------------------------------------------------------------------------------

class TokenBucket:
    """At most `rate` sends per second from this process, evenly spaced (no burst: Twilio
    queues or refuses what goes over the sender's rate)."""

    def __init__(self, rate: float) -> None:
        self.rate = rate
        self.tokens = 1.0
        self.updated = time.monotonic()
        self.lock = threading.Lock()

    def acquire(self) -> None:
        if self.rate <= 0:
            return
        while True:
            with self.lock:
                now = time.monotonic()
                self.tokens = min(1.0, self.tokens + (now - self.updated) * self.rate)
                self.updated = now
                if self.tokens >= 1.0:
                    self.tokens -= 1.0
                    return
                pause = (1.0 - self.tokens) / self.rate
            time.sleep(pause)


_buckets: dict[float, TokenBucket] = {}
_buckets_lock = threading.Lock()


def bucket(rate: float) -> TokenBucket:
    """One bucket per process and rate, shared by every fan-out job the process runs."""
    with _buckets_lock:
        return _buckets.setdefault(rate, TokenBucket(rate))


# -- sending ----------------------------------------------------------------------------------

def full_text(body: str, link: str) -> str:
    body = body.strip()
    return f"{body}\n{link}" if link else body


def _finish(delivery_id: int, token: str, state: str, message_id: int | None) -> None:
    db.session.execute(
        update(Delivery).where(Delivery.id == delivery_id, Delivery.claim_token == token,
                               Delivery.status == DeliveryState.CLAIMED)
        .values(status=state, message_id=message_id)
        .execution_options(synchronize_session=False))
    db.session.commit()


def _send_one(app: Flask, delivery_id: int, token: str, texts: dict[str, str],
              validity: int, pace: TokenBucket) -> str:
    from aid.sms.gateway import send_sms

    with app.app_context():
        row = db.session.execute(
            select(Delivery.status, Delivery.claim_token, Delivery.language, Subscriber.phone,
                   Subscriber.status.label("sub_status"))
            .outerjoin(Subscriber, Subscriber.id == Delivery.subscriber_id)
            .where(Delivery.id == delivery_id)).one_or_none()
        db.session.commit()
        if row is None or row.status != DeliveryState.CLAIMED or row.claim_token != token:
            return "lost"  # cancelled, or handed to another worker after a long stall
        if row.phone is None or row.sub_status != "active":
            _finish(delivery_id, token, DeliveryState.SKIPPED, None)
            return DeliveryState.SKIPPED
        pace.acquire()
        msg = send_sms(row.phone, texts[row.language], purpose="alert", validity_period=validity)
        state = (DeliveryState.SENT if msg.status in SENT_STATUSES else
                 DeliveryState.SKIPPED if msg.status == "suppressed" else DeliveryState.FAILED)
        _finish(delivery_id, token, state, msg.id)
        return state


def run(alert_id: int) -> dict[str, int]:
    """One fan-out job: claim and send until nothing is pending. Several jobs (threads,
    processes, machines) may run for the same alert at once. Returns counts by outcome."""
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    cfg = app.config
    alert = db.session.get(Alert, alert_id)
    outcomes: dict[str, int] = {}
    if alert is None or alert.status != AlertState.SENDING:
        return outcomes
    texts = {b.language: full_text(b.body, alert.link) for b in alert.bodies}
    # Twilio drops what it could not deliver in time: an alert hours late does harm.
    until_expiry = int((alert.expires_at - utcnow()).total_seconds())
    validity = max(1, min(cfg["ALERT_VALIDITY_SECONDS"], until_expiry))
    concurrency = max(1, cfg["ALERT_CONCURRENCY"])
    rate = float(cfg["ALERT_MPS"])
    batch = max(1, cfg["ALERT_BATCH"])
    if rate > 0:  # keep claims young enough not to look stale while they wait their turn
        batch = max(1, min(batch, int(rate * cfg["ALERT_CLAIM_STALE_SECONDS"] / 4)))
    pace = bucket(rate)
    job = secrets.token_hex(12)
    db.session.commit()
    futures: set[Future[str]] = set()
    exhausted, batches = False, 0
    with ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="alert") as pool:
        while True:
            if not exhausted and len(futures) <= concurrency:
                # A token per batch: the next batch is claimed while this one is in flight.
                batches += 1
                token = f"{job}-{batches}"
                ids = claim(alert_id, batch, token)
                exhausted = not ids
                futures |= {pool.submit(_send_one, app, i, token, texts, validity, pace)
                            for i in ids}
            if not futures:
                break
            done, futures = wait(futures, return_when=FIRST_COMPLETED)
            for future in done:
                try:
                    outcome = future.result()
                except Exception:  # noqa: BLE001
                    # One row's trouble (a database hiccup) must not stop the others: the row
                    # stays claimed and the periodic requeue hands it out again.
                    app.logger.exception("alert %s: a send failed", alert_id)
                    outcome = "error"
                outcomes[outcome] = outcomes.get(outcome, 0) + 1
    finish_if_done(alert_id)
    return outcomes


def requeue() -> list[int]:
    """The periodic safety net: alerts still sending get stale claims released and a job
    again if anything is pending; finished ones are marked sent. Returns re-queued ids."""
    from aid.alerts.tasks import fan_out

    ids = list(db.session.scalars(select(Alert.id).where(Alert.status == AlertState.SENDING)))
    requeued = []
    for alert_id in ids:
        release_stale(alert_id)
        pending = db.session.scalar(select(exists().where(
            Delivery.alert_id == alert_id, Delivery.status == DeliveryState.PENDING)))
        db.session.commit()
        if pending:
            requeued.append(alert_id)
            fan_out(alert_id)
        else:
            finish_if_done(alert_id)
    return requeued


def enqueue(alert_id: int) -> None:
    """Start the fan-out: ALERT_JOBS jobs, so several worker threads or machines share it."""
    from aid.alerts.tasks import fan_out

    for _ in range(max(1, current_app.config["ALERT_JOBS"])):
        fan_out(alert_id)
