"""One fan-out job: claim a batch, check it, hand it to the SMS gateway, record what became
of it, until nothing is pending or the alert is cancelled.

Sending costs the database a few statements per batch, not per text: each claimed batch is
checked against the subscribers and the suppression list in one query right before it goes
out, and the gateway creates its `OutboundMessage` rows in one statement (`persist_batch`);
send threads then run the gateway's retry loop without touching the database, and what
finished is recorded in one transaction per wake-up of the job's loop (which also notices a
cancel). A finished send is recorded before its thread is given another, so only sends
handed over but not yet recorded at a kill are repeated: at most ALERT_CONCURRENCY per job.
"""

from __future__ import annotations

import secrets
import time
from collections import deque
from collections.abc import Collection
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass

from flask import Flask, current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import bindparam, select

from aid.alerts.fanout import audience, claims
from aid.alerts.models import Alert, AlertState, Delivery, DeliveryState
from aid.extensions import db
from aid.network.service import current_settings
from aid.sms import gateway
from aid.sms.backends import Backend, PermanentError, backend_for
from aid.sms.gateway import Attempt, Prepared, Recipient
from aid.sms.models import MessageState, Subscriber
from aid.sms.pacing import Limiter, sender_limiter
from aid.sms.subscriptions import reachable
from aid.timeutil import utcnow

PURPOSE = "alert"


def full_text(body: str, link: str, language: str) -> str:
    """The text as subscribers get it: the body, the link, then who sent it and how to stop
    them, in the subscriber's language (counted in the segments like the rest; plain GSM-7
    characters, so an English alert stays in the cheaper encoding)."""
    with force_locale(language):
        footer = _("%(network)s: STOP to stop", network=current_settings().network_name)
    lines = [body.strip(), link]
    if footer.lower() not in body.lower():
        lines.append(footer)
    return "\n".join(line for line in lines if line)


@dataclass(frozen=True)
class Outgoing:
    """One text of a claimed batch: its delivery row, the claim, and the gateway's copy of
    the message (what the send thread hands to the backend)."""

    delivery_id: int
    token: str
    text: Prepared


def prepare(token: str, texts: dict[str, str], validity: int) -> list[Outgoing]:
    """One transaction per claimed batch: skip rows whose subscriber left or whose number is
    on the suppression list (one query, right before the batch goes out), and have the
    gateway create the messages of the rest, linked to their deliveries. Commits."""
    rows = db.session.execute(
        select(Delivery.id, Delivery.language, Subscriber.phone, Subscriber.phone_index,
               reachable().label("reachable"))
        .outerjoin(Subscriber, Subscriber.id == Delivery.subscriber_id)
        .where(Delivery.claim_token == token, Delivery.status == DeliveryState.CLAIMED)
        .order_by(Delivery.id)).all()
    go = [r for r in rows if r.phone and r.reachable]
    skip = [r.id for r in rows if not (r.phone and r.reachable)]
    if skip:
        claims.mark(skip, token, DeliveryState.SKIPPED)
    prepared = gateway.persist_batch(
        [Recipient(r.phone, r.phone_index, texts[r.language]) for r in go],
        purpose=PURPOSE, validity_period=validity)
    if prepared:
        table = Delivery.__table__
        db.session.execute(
            table.update().where(table.c.id == bindparam("d_id"))
            .values(message_id=bindparam("m_id")),
            [{"d_id": r.id, "m_id": p.message_id} for r, p in zip(go, prepared, strict=True)])
    db.session.commit()
    return [Outgoing(r.id, token, p) for r, p in zip(go, prepared, strict=True)]


def send(app: Flask, out: Outgoing, validity: int, pace: Limiter,
         backend: Backend) -> Attempt:
    """In a send thread: the gateway's retry loop, paced by the sender's shared cap."""
    with app.app_context():
        return gateway.send_prepared(backend, out.text, validity, before_try=pace.acquire)


def _delivery_state(attempt: Attempt) -> DeliveryState:
    if attempt.handed_over:
        return DeliveryState.SENT
    if attempt.status == MessageState.SUPPRESSED:
        return DeliveryState.SKIPPED
    return DeliveryState.FAILED


def record(done: list[tuple[Outgoing, Attempt]], alert_id: int) -> bool:
    """One transaction for every send that finished since the last one: their messages and
    deliveries. Returns False once the alert was cancelled (stop sending). Commits."""
    results = [(out.text, a) for out, a in done]
    gateway.record_batch(results)
    groups: dict[tuple[DeliveryState, str], list[int]] = {}
    for out, a in done:
        groups.setdefault((_delivery_state(a), out.token), []).append(out.delivery_id)
    for (state, token), ids in groups.items():
        claims.mark(ids, token, state)
    sending = db.session.scalar(select(Alert.status).where(Alert.id == alert_id)) \
        == AlertState.SENDING
    db.session.commit()
    gateway.after_batch(results)
    return sending


def drop(unsent: list[Outgoing]) -> None:
    """Messages prepared but never handed over (the alert was cancelled). Commits."""
    gateway.cancel_unsent([o.text.message_id for o in unsent], "alert cancelled before sending")


class Leases:
    """When this job last claimed or renewed each of its claims (monotonic seconds)."""

    def __init__(self, alert_id: int, stale_seconds: float) -> None:
        self.alert_id = alert_id
        self.every = max(0.5, stale_seconds / 4)
        self.renewed: dict[str, float] = {}

    def claimed(self, token: str) -> None:
        self.renewed[token] = time.monotonic()

    def keep(self, queue: deque[Outgoing], flying: Collection[Outgoing]) -> None:
        """Renew the claims due for it (still in `queue` or in flight); rows of `queue` whose
        claim was lost (released as stale while this job was slow) are dropped, not sent."""
        live = {o.token for o in queue} | {o.token for o in flying}
        self.renewed = {t: at for t, at in self.renewed.items() if t in live}
        now = time.monotonic()
        due = [t for t, at in self.renewed.items() if now - at >= self.every]
        if not due:
            return
        held = claims.renew(self.alert_id, due)
        for token in due:
            self.renewed[token] = now
        lost = [o for o in queue if o.token in due and o.delivery_id not in held]
        if lost:
            gateway.cancel_unsent([o.text.message_id for o in lost],
                                  "claim expired: another job sends it")
            kept = [o for o in queue if o not in lost]
            queue.clear()
            queue.extend(kept)


def _settings(alert: Alert) -> tuple[int, int, float, int]:
    """Validity, concurrency, rate and batch size for this alert's job."""
    cfg = current_app.config
    # Twilio drops what it could not deliver in time: an alert hours late does harm.
    until_expiry = int((alert.expires_at - utcnow()).total_seconds())
    validity = max(1, min(cfg["ALERT_VALIDITY_SECONDS"], until_expiry))
    concurrency = max(1, cfg["ALERT_CONCURRENCY"])
    rate = float(cfg["ALERT_MPS"])
    batch = max(1, cfg["ALERT_BATCH"])
    if rate > 0:  # keep claims young enough not to look stale while they wait their turn
        batch = max(1, min(batch, int(rate * cfg["ALERT_CLAIM_STALE_SECONDS"] / 4)))
    return validity, concurrency, rate, batch


def run(alert_id: int) -> dict[str, int]:
    """One fan-out job: claim and send until nothing is pending. Several jobs (threads,
    processes, machines) may run for the same alert at once. Returns counts by outcome.

    At most ALERT_CONCURRENCY sends are handed over and not yet recorded at any moment: a
    finished send is recorded (in one transaction with whatever else finished) before its
    thread gets the next one, so a kill repeats at most that many."""
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    alert = db.session.get(Alert, alert_id)
    outcomes: dict[str, int] = {}
    if alert is None or alert.status != AlertState.SENDING:
        return outcomes
    texts = {b.language: full_text(b.body, alert.link, b.language) for b in alert.bodies}
    validity, concurrency, rate, batch = _settings(alert)
    pace = sender_limiter(rate)
    fill_chunk = max(1, app.config["ALERT_FILL_CHUNK"])
    job = secrets.token_hex(12)
    leases = Leases(alert_id, app.config["ALERT_CLAIM_STALE_SECONDS"])
    db.session.commit()
    try:
        backend = backend_for(app.config["SMS_BACKEND"])
    except PermanentError:
        app.logger.error("alert %s: no SMS backend %r", alert_id, app.config["SMS_BACKEND"])
        return outcomes
    if (warm := getattr(backend, "warm", None)) is not None:
        warm()
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
                ids = claims.claim(alert_id, batch, token)
                # Out of written rows: write the next chunk (whichever job gets here first).
                while len(ids) < batch and audience.fill_next(alert_id, fill_chunk):
                    ids = claims.claim(alert_id, batch - len(ids), token)
                leases.claimed(token)
                exhausted = not ids
                ready = prepare(token, texts, validity) if ids else []
                queue.extend(ready)
                outcomes["skipped"] = outcomes.get("skipped", 0) + len(ids) - len(ready)
            while sending and queue and len(flying) < concurrency:
                out = queue.popleft()
                flying[pool.submit(send, app, out, validity, pace, backend)] = out
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
                key = "sent" if result.handed_over else str(result.status)
                outcomes[key] = outcomes.get(key, 0) + 1
            sending = record(finished, alert_id) and sending
            if not sending and queue:
                drop(list(queue))
                queue.clear()
            if sending:
                leases.keep(queue, list(flying.values()))
    claims.finish_if_done(alert_id)
    return outcomes
