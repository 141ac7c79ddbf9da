"""The fan-out: one delivery row per recipient, and workers that send them.

Approval inserts every delivery row with one `INSERT ... SELECT` in the same transaction that
moves the alert to `sending` (nothing is loaded into Python, so 10,000 or 100,000 recipients
cost the same memory). Worker jobs then claim pending rows in batches:

- PostgreSQL: `UPDATE ... WHERE id IN (SELECT ... FOR UPDATE SKIP LOCKED)`, so several workers
  on several machines never claim the same row;
- SQLite: the same single UPDATE statement (SQLite has one writer at a time, so the statement
  is atomic); a claim token marks which rows are this job's.

Sending costs the database a few statements per batch, not per text: each claimed batch
is checked against the subscribers and the suppression list in one query right before it
goes out, and its `OutboundMessage` rows are created in one transaction; send threads then
run the gateway's retry loop without touching the database, and what finished is recorded
in one transaction per wake-up of the job's loop (which also notices a cancel). A worker
killed mid-way leaves rows `claimed`: the periodic `requeue` hands rows claimed longer than
ALERT_CLAIM_STALE_SECONDS back out. A finished send is recorded before its thread is given
another, so only sends handed over but not yet recorded at the kill are repeated: at most
ALERT_CONCURRENCY per job.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections import deque
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from flask import Flask, current_app
from sqlalchemy import (
    Integer,
    Select,
    String,
    bindparam,
    case,
    exists,
    func,
    insert,
    literal,
    select,
    update,
)

from aid.alerts.models import Alert, AlertState, Delivery, DeliveryState
from aid.extensions import db
from aid.sms import service as sms_service
from aid.sms.backends import Backend, PermanentError, backend_for
from aid.sms.gateway import Attempt, send_with_retries
from aid.sms.models import OutboundMessage, Subscriber, Suppression
from aid.sms.segments import segment_info
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


def _original_recipients(original_id: int) -> Select[Any]:
    """Who received the original alert (its deliveries that were sent) and is still
    subscribed and not suppressed: an update or retraction goes to them and no one else."""
    return (select(Subscriber.id)
            .join(Delivery, Delivery.subscriber_id == Subscriber.id)
            .where(Delivery.alert_id == original_id, Delivery.status == DeliveryState.SENT,
                   Subscriber.status == "active",
                   ~exists().where(Suppression.phone_index == Subscriber.phone_index)))


def _reply_language(languages: list[str]) -> Any:
    """The language the person got the original in, if the correction has a text in it."""
    return case((Delivery.language.in_(languages), Delivery.language),
                else_=literal(languages[0], String))


def correction_counts(original_id: int, languages: list[str]) -> dict[str, int]:
    if not languages:
        return {}
    lang = _reply_language(languages).label("lang")
    query = _original_recipients(original_id).with_only_columns(lang, func.count()).group_by(
        lang)
    found = {row[0]: row[1] for row in db.session.execute(query)}
    return {code: found.get(code, 0) for code in languages}


def create_deliveries(alert: Alert) -> int:
    """Insert one pending row per recipient (no commit: the caller's transaction also moves
    the alert to `sending`). Returns how many."""
    languages = [b.language for b in alert.bodies]
    if alert.in_reply_to_id:
        query = _original_recipients(alert.in_reply_to_id).with_only_columns(
            literal(alert.id, Integer), Subscriber.id, _reply_language(languages),
            literal(DeliveryState.PENDING.value, String))
    else:
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
    stale = (select(Delivery.message_id).where(
        Delivery.alert_id == alert_id, Delivery.status == DeliveryState.CLAIMED,
        Delivery.claimed_at < cutoff, Delivery.message_id.is_not(None)))
    # Their texts may or may not have reached Twilio: the outbox says so, and the row is
    # sent again under a new message.
    db.session.execute(
        update(OutboundMessage)
        .where(OutboundMessage.id.in_(stale.scalar_subquery()), OutboundMessage.status == "queued")
        .values(status="failed", error_note="worker stopped mid-send: may have gone out")
        .execution_options(synchronize_session=False))
    result = db.session.execute(
        update(Delivery)
        .where(Delivery.alert_id == alert_id, Delivery.status == DeliveryState.CLAIMED,
               Delivery.claimed_at < cutoff)
        .values(status=DeliveryState.PENDING, claim_token=None, claimed_at=None,
                message_id=None)
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

def full_text(body: str, link: str, language: str) -> str:
    """The text as subscribers get it: the body, the link, then who sent it and how to stop
    them, in the subscriber's language (counted in the segments like the rest; plain GSM-7
    characters, so an English alert stays in the cheaper encoding)."""
    from flask_babel import force_locale
    from flask_babel import gettext as _

    from aid.admin.service import current_settings

    with force_locale(language):
        footer = _("%(network)s: STOP to stop", network=current_settings().network_name)
    lines = [body.strip(), link]
    if footer.lower() not in body.lower():
        lines.append(footer)
    return "\n".join(line for line in lines if line)


@dataclass(frozen=True)
class Outgoing:
    """One text of a claimed batch, copied out of the database so a send thread never
    touches it (`Sendable` for the backend)."""

    delivery_id: int
    message_id: int
    token: str
    to_number: str
    body: str
    purpose: str = "alert"


def _prepare(token: str, texts: dict[str, str], validity: int) -> list[Outgoing]:
    """One transaction per claimed batch: skip rows whose subscriber left or whose number is
    on the suppression list (one query, right before the batch goes out), and create the
    `OutboundMessage` rows of the rest, linked to their deliveries. Commits.

    The messages are created with `attempts=1` (a try is about to be made), so the
    gateway's own requeue never sends them a second time behind the fan-out's back."""
    rows = db.session.execute(
        select(Delivery.id, Delivery.language, Subscriber.phone, Subscriber.phone_index,
               Subscriber.status, Suppression.id.label("stopped"))
        .outerjoin(Subscriber, Subscriber.id == Delivery.subscriber_id)
        .outerjoin(Suppression, Suppression.phone_index == Subscriber.phone_index)
        .where(Delivery.claim_token == token, Delivery.status == DeliveryState.CLAIMED)
        .order_by(Delivery.id)).all()
    go = [r for r in rows if r.phone and r.status == "active" and r.stopped is None]
    skip = [r.id for r in rows if not (r.phone and r.status == "active" and r.stopped is None)]
    if skip:
        _mark(skip, token, DeliveryState.SKIPPED)
    if not go:
        db.session.commit()
        return []
    now = utcnow()
    backend = current_app.config["SMS_BACKEND"]
    segments = {lang: segment_info(text)[1] for lang, text in texts.items()}
    ids = db.session.scalars(
        insert(OutboundMessage).returning(OutboundMessage.id, sort_by_parameter_order=True),
        [{"to_number": r.phone, "to_index": r.phone_index, "body": texts[r.language],
          "purpose": "alert", "status": "queued", "backend": backend,
          "segments": segments[r.language], "validity_period": validity, "attempts": 1,
          "created_at": now, "updated_at": now} for r in go]).all()
    table = Delivery.__table__
    db.session.execute(
        table.update().where(table.c.id == bindparam("d_id"))
        .values(message_id=bindparam("m_id")),
        [{"d_id": r.id, "m_id": m} for r, m in zip(go, ids, strict=True)])
    db.session.commit()
    return [Outgoing(r.id, m, token, r.phone, texts[r.language])
            for r, m in zip(go, ids, strict=True)]


def _mark(ids: list[int], token: str, state: str) -> None:
    # A text that went out while the coordinator pressed cancel did go out: say so.
    before = ((DeliveryState.CLAIMED, DeliveryState.CANCELLED) if state == DeliveryState.SENT
              else (DeliveryState.CLAIMED,))
    db.session.execute(
        update(Delivery).where(Delivery.id.in_(ids), Delivery.claim_token == token,
                               Delivery.status.in_(before))
        .values(status=state).execution_options(synchronize_session=False))


def _send(app: Flask, out: Outgoing, validity: int, pace: TokenBucket,
          backend: Backend) -> Attempt:
    """In a send thread: the gateway's retry loop, no database unless a retry is needed
    (then the suppression list is asked again: an opt-out during the backoff wins)."""
    with app.app_context():
        def before(attempt: int, last: Attempt | None) -> Attempt | None:
            if attempt > 1 and sms_service.is_suppressed(out.to_number):
                return Attempt("suppressed", attempt - 1, error_note="opted out")
            pace.acquire()
            return None

        return send_with_retries(backend, out, validity, before)


def _record(done: list[tuple[Outgoing, Attempt]], alert_id: int) -> bool:
    """One transaction for every send that finished since the last one: their messages and
    deliveries. Returns False once the alert was cancelled (stop sending). Commits."""
    now = utcnow()
    if done:
        table = OutboundMessage.__table__
        db.session.execute(
            table.update().where(table.c.id == bindparam("m_id")).values(
                status=bindparam("st"), attempts=bindparam("n"), provider_sid=bindparam("sid"),
                submitted_at=bindparam("at"), error_code=bindparam("code"),
                error_note=bindparam("note"), updated_at=now),
            [{"m_id": out.message_id, "st": a.status, "n": max(1, a.attempts), "sid": a.sid,
              "at": now if a.sid else None, "code": a.error_code, "note": a.error_note}
             for out, a in done])
        groups: dict[tuple[str, str], list[int]] = {}
        for out, a in done:
            state = (DeliveryState.SENT if a.status in SENT_STATUSES else
                     DeliveryState.SKIPPED if a.status == "suppressed" else DeliveryState.FAILED)
            groups.setdefault((state, out.token), []).append(out.delivery_id)
        for (state, token), ids in groups.items():
            _mark(ids, token, state)
    sending = db.session.scalar(select(Alert.status).where(Alert.id == alert_id)) \
        == AlertState.SENDING
    db.session.commit()
    for out, a in done:
        if a.unsubscribed:  # Twilio says the number opted out: never again, from anything
            sms_service.suppress(out.to_number, "21610")
    return sending


def _drop(unsent: list[Outgoing]) -> None:
    """Messages prepared but never handed over (the alert was cancelled). Commits."""
    if unsent:
        db.session.execute(
            update(OutboundMessage).where(OutboundMessage.id.in_([o.message_id for o in unsent]))
            .values(status="cancelled", error_note="alert cancelled before sending")
            .execution_options(synchronize_session=False))
        db.session.commit()


def run(alert_id: int) -> dict[str, int]:
    """One fan-out job: claim and send until nothing is pending. Several jobs (threads,
    processes, machines) may run for the same alert at once. Returns counts by outcome.

    At most ALERT_CONCURRENCY sends are handed over and not yet recorded at any moment: a
    finished send is recorded (in one transaction with whatever else finished) before its
    thread gets the next one, so a kill repeats at most that many."""
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    cfg = app.config
    alert = db.session.get(Alert, alert_id)
    outcomes: dict[str, int] = {}
    if alert is None or alert.status != AlertState.SENDING:
        return outcomes
    texts = {b.language: full_text(b.body, alert.link, b.language) for b in alert.bodies}
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
    try:
        backend = backend_for(cfg["SMS_BACKEND"])
    except PermanentError:
        app.logger.error("alert %s: no SMS backend %r", alert_id, cfg["SMS_BACKEND"])
        return outcomes
    queue: deque[Outgoing] = deque()
    flying: dict[Future[Attempt], Outgoing] = {}
    exhausted, batches, sending = False, 0, True
    with ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="alert") as pool:
        while True:
            # Claim the next batch only when this one is nearly out: its suppression check
            # stays fresh and the claim never waits long enough to look stale.
            if sending and not exhausted and len(queue) < concurrency:
                batches += 1
                token = f"{job}-{batches}"
                ids = claim(alert_id, batch, token)
                exhausted = not ids
                queue.extend(_prepare(token, texts, validity) if ids else [])
                outcomes["skipped"] = outcomes.get("skipped", 0) + len(ids) - len(queue)
            while sending and queue and len(flying) < concurrency:
                out = queue.popleft()
                flying[pool.submit(_send, app, out, validity, pace, backend)] = out
            if not flying:
                if not sending or (exhausted and not queue):
                    break
                continue
            done, _ = wait(flying, return_when=FIRST_COMPLETED)
            finished = []
            for future in done:
                out = flying.pop(future)
                try:
                    finished.append((out, future.result()))
                except Exception:  # noqa: BLE001
                    # One row's trouble must not stop the others: it stays claimed and the
                    # periodic requeue hands it out again.
                    app.logger.exception("alert %s: a send failed", alert_id)
                    outcomes["error"] = outcomes.get("error", 0) + 1
            for _out, result in finished:
                key = "sent" if result.status in SENT_STATUSES else result.status
                outcomes[key] = outcomes.get(key, 0) + 1
            sending = _record(finished, alert_id) and sending
            if not sending and queue:
                _drop(list(queue))
                queue.clear()
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
