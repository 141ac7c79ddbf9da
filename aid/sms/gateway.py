"""Sending texts: one interface, two backends (`AID_SMS_BACKEND` = console | twilio).

    from aid.sms.gateway import send_sms, queue_sms

    send_sms("+12025550123", "Your shift starts at 9.", purpose="reminder")
    queue_sms(number, text, purpose="alert", validity_period=900)  # from a view: after commit

    # many recipients at once (the alert fan-out): rows in one statement, sent by the caller
    texts = persist_batch(recipients, purpose="alert", validity_period=900)
    outcome = send_prepared(backend, texts[0], 900, before_try=pace.acquire)
    record_batch([(texts[0], outcome)])

Every text is an `OutboundMessage` row first (status queued), so an admin can see what was
sent, to whom (masked), and what became of it. A number on the app's suppression list (it
texted STOP, or Twilio reported 21610) is never sent to: the row is marked `suppressed` and
nothing leaves, whichever feature asked. The list is checked again right before the provider
is called, so an opt-out that arrives while a text waits in the queue still wins.

No other module writes `OutboundMessage` rows: single texts go through `send_sms` /
`queue_sms`, batches through `persist_batch` (one INSERT for a whole batch, the model being
GOV.UK Notify's `persist_notification`), `record_batch` (one UPDATE for what finished),
`cancel_unsent` and `abandon`.

Twilio's sync client does not retry: the gateway retries 429 (error 20429), 5xx and refused
connections with exponential backoff and jitter, up to `SMS_MAX_ATTEMPTS` tries in all; any
other 4xx is final (21610 also suppresses the number).
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from flask import current_app
from huey import crontab
from sqlalchemy import bindparam, insert, select, update

from aid.extensions import db
from aid.network.service import current_settings
from aid.phones import normalise_phone, phone_index
from aid.sms import service
from aid.sms.backends import Backend, PermanentError, Sendable, TransientError, backend_for
from aid.sms.models import HANDED_OVER, MessageState, OutboundMessage
from aid.sms.segments import segment_info
from aid.tasks import periodic, task
from aid.timeutil import utcnow

MAX_BODY = 1600  # Twilio's limit for one message body
MAX_BACKOFF_SECONDS = 30.0
_jitter = secrets.SystemRandom()


def _create(to: str, body: str, purpose: str, validity_period: int | None) -> OutboundMessage:
    e164 = normalise_phone(to, current_settings().default_region)
    body = body[:MAX_BODY]
    msg = OutboundMessage(
        to_number=e164, to_index=phone_index(e164), body=body, purpose=purpose[:32],
        status=MessageState.QUEUED, backend=current_app.config["SMS_BACKEND"],
        segments=segment_info(body)[1], validity_period=validity_period, attempts=0,
    )
    if service.is_suppressed(e164):
        msg.status, msg.error_note = MessageState.SUPPRESSED, "opted out"
    db.session.add(msg)
    db.session.commit()
    return msg


def send_sms(to: str, body: str, *, purpose: str,
             validity_period: int | None = None) -> OutboundMessage:
    """Send `body` to `to` now (in this process) and return its row.

    `to` is a phone number (E.164 preferred; national numbers use the network's region; a
    number that cannot be a phone raises `aid.phones.BadPhone`). `purpose` names the sender
    ("alert", "reminder", "hotline", "verification", ...). `validity_period` (seconds) makes
    Twilio drop the text rather than deliver it late: set it for anything time-critical.
    Returns the row with status suppressed (opted out, nothing sent), sent/queued (handed to
    the provider) or failed. Commits the session.
    """
    msg = _create(to, body, purpose, validity_period)
    if msg.status == MessageState.QUEUED:
        deliver(msg)
    return msg


def queue_sms(to: str, body: str, *, purpose: str,
              validity_period: int | None = None) -> OutboundMessage:
    """Like `send_sms`, but the provider is called by the background worker.

    The row is committed first and the job enqueued after the commit, so the worker always
    finds it; web requests use this so they never wait on Twilio.
    """
    msg = _create(to, body, purpose, validity_period)
    if msg.status == MessageState.QUEUED:
        deliver_task(msg.id)
    return msg


@task()
def deliver_task(message_id: int) -> None:
    msg = db.session.get(OutboundMessage, message_id)
    # Only a row nobody has tried yet: a duplicated job must not send twice.
    if msg is None or msg.status != MessageState.QUEUED or msg.attempts or msg.provider_sid:
        return
    deliver(msg)


def _backoff(attempt: int) -> float:
    base = current_app.config["SMS_RETRY_SECONDS"] * 2 ** (attempt - 1)
    return min(MAX_BACKOFF_SECONDS, base * _jitter.uniform(0.5, 1.5))


def _remaining_validity(msg: OutboundMessage) -> int | None:
    if msg.validity_period is None:
        return None
    waited = (utcnow() - msg.created_at).total_seconds()
    return int(msg.validity_period - waited)


@dataclass
class Attempt:
    """What became of a text after `send_with_retries`: our status and Twilio's answer."""

    status: MessageState  # sent or queued (handed over), failed, suppressed
    attempts: int
    sid: str | None = None
    error_code: int | None = None
    error_note: str = ""
    unsubscribed: bool = False  # Twilio said 21610: suppress the number

    @property
    def handed_over(self) -> bool:
        return self.status in HANDED_OVER


def send_with_retries(backend: Backend, msg: Sendable, validity: int | None,
                      before: Callable[[int, Attempt | None], Attempt | None]) -> Attempt:
    """The retry loop shared by `deliver` and the alert fan-out: 429/5xx/refused connections
    are tried again with backoff up to SMS_MAX_ATTEMPTS; any other error is final.

    `before(attempt, last)` runs before every try (`last` is the transient failure that led
    to it, None the first time) and may stop the loop by returning an outcome (opted out,
    too late); it is where a caller records the attempt. Touches no database itself.
    """
    max_attempts = max(1, current_app.config["SMS_MAX_ATTEMPTS"])
    last: Attempt | None = None
    attempt = 0
    while True:
        attempt += 1
        stop = before(attempt, last)
        if stop is not None:
            return stop
        try:
            result = backend.send(msg, validity)
        except TransientError as exc:
            if attempt >= max_attempts:
                return Attempt(MessageState.FAILED, attempt, error_code=exc.code,
                               error_note=f"gave up after {attempt} tries ({exc.reason})"[:80])
            last = Attempt(MessageState.QUEUED, attempt, error_code=exc.code,
                           error_note=f"retrying ({exc.reason})"[:80])
            time.sleep(_backoff(attempt))
            continue
        except PermanentError as exc:
            return Attempt(MessageState.FAILED, attempt, error_code=exc.code,
                           error_note=exc.reason[:80],
                           unsubscribed=exc.code == service.UNSUBSCRIBED_ERROR)
        return Attempt(MessageState(result.status), attempt, sid=result.sid)


def deliver(msg: OutboundMessage) -> None:
    """Hand a queued row to the backend, retrying transient failures. Commits."""
    try:
        backend = backend_for(msg.backend)
    except PermanentError as exc:
        msg.status, msg.error_note = MessageState.FAILED, exc.reason[:80]
        db.session.commit()
        return

    def before(attempt: int, last: Attempt | None) -> Attempt | None:
        if last is not None:
            msg.error_code, msg.error_note = last.error_code, last.error_note
        if service.is_suppressed(msg.to_number):
            return Attempt(MessageState.SUPPRESSED, attempt - 1, error_note="opted out")
        validity = _remaining_validity(msg)
        if validity is not None and validity < 1:
            return Attempt(MessageState.FAILED, attempt - 1,
                           error_note="too late: validity period passed")
        msg.attempts = attempt
        db.session.commit()  # a try is recorded before it is made: requeue never repeats it
        return None

    outcome = send_with_retries(backend, msg, _remaining_validity(msg), before)
    msg.status, msg.attempts = outcome.status, max(msg.attempts, outcome.attempts)
    if outcome.sid:
        msg.provider_sid, msg.submitted_at = outcome.sid, utcnow()
        msg.error_code, msg.error_note = None, ""
    else:
        msg.error_code = outcome.error_code or msg.error_code
        msg.error_note = outcome.error_note
    db.session.commit()
    if outcome.unsubscribed:
        service.suppress(msg.to_number, "21610")


@periodic(crontab(minute="*/5"))
def requeue_stale() -> None:
    """Texts queued but never tried (a lost job, a killed worker) get their job again."""
    now = utcnow()
    ids = db.session.scalars(select(OutboundMessage.id).where(
        OutboundMessage.status == MessageState.QUEUED, OutboundMessage.attempts == 0,
        OutboundMessage.created_at < now - timedelta(minutes=5),
        OutboundMessage.created_at > now - timedelta(days=1)).limit(1000)).all()
    for message_id in ids:
        deliver_task(message_id)


# -- batches: many recipients, sent by the caller's own threads (the alert fan-out) ---------

@dataclass(frozen=True)
class Recipient:
    """One recipient of a batch, as the caller's query found it (a subscriber row: the number
    is E.164 already, and the caller checked the suppression list in that same query)."""

    to_number: str
    to_index: str
    body: str


@dataclass(frozen=True)
class Prepared:
    """A batch's text, copied out of the database so a send thread never touches it: what a
    backend needs (`Sendable`) and the id of its row."""

    message_id: int
    to_number: str
    body: str
    purpose: str


def persist_batch(recipients: Sequence[Recipient], *, purpose: str,
                  validity_period: int | None) -> list[Prepared]:
    """Create one `queued` row per recipient with one INSERT ... RETURNING, in order. No
    commit: the caller links the rows to its own in the same transaction.

    The rows are created with `attempts=1`: the caller is about to try them itself (through
    `send_prepared`), so `requeue_stale` never sends them a second time behind its back."""
    if not recipients:
        return []
    now = utcnow()
    backend = current_app.config["SMS_BACKEND"]
    segments: dict[str, int] = {}
    rows = []
    for r in recipients:
        body = r.body[:MAX_BODY]
        if body not in segments:
            segments[body] = segment_info(body)[1]
        rows.append({"to_number": r.to_number, "to_index": r.to_index, "body": body,
                     "purpose": purpose[:32], "status": MessageState.QUEUED.value,
                     "backend": backend, "segments": segments[body],
                     "validity_period": validity_period, "attempts": 1, "created_at": now,
                     "updated_at": now})
    ids = db.session.scalars(
        insert(OutboundMessage).returning(OutboundMessage.id, sort_by_parameter_order=True),
        rows).all()
    return [Prepared(m, row["to_number"], row["body"], row["purpose"])
            for m, row in zip(ids, rows, strict=True)]


def send_prepared(backend: Backend, text: Prepared, validity: int | None,
                  before_try: Callable[[], Any] | None = None) -> Attempt:
    """Send one text of a batch (in a send thread, inside an app context): the retry loop,
    no database unless a retry is needed; then the suppression list is asked again, so an
    opt-out during the backoff wins. `before_try` runs before every try (pacing)."""

    def before(attempt: int, last: Attempt | None) -> Attempt | None:
        if attempt > 1 and service.is_suppressed(text.to_number):
            return Attempt(MessageState.SUPPRESSED, attempt - 1, error_note="opted out")
        if before_try is not None:
            before_try()
        return None

    return send_with_retries(backend, text, validity, before)


def record_batch(results: Sequence[tuple[Prepared, Attempt]]) -> None:
    """What became of sends that finished, in one UPDATE for all of them. No commit (the
    caller records its own rows in the same transaction); call `after_batch` once committed."""
    if not results:
        return
    now = utcnow()
    table = OutboundMessage.__table__
    db.session.execute(
        table.update().where(table.c.id == bindparam("m_id")).values(
            status=bindparam("st"), attempts=bindparam("n"), provider_sid=bindparam("sid"),
            submitted_at=bindparam("at"), error_code=bindparam("code"),
            error_note=bindparam("note"), updated_at=now),
        [{"m_id": text.message_id, "st": a.status.value, "n": max(1, a.attempts),
          "sid": a.sid, "at": now if a.sid else None, "code": a.error_code,
          "note": a.error_note} for text, a in results])


def after_batch(results: Sequence[tuple[Prepared, Attempt]]) -> None:
    """Numbers Twilio said opted out (21610) are suppressed: never again, from anything."""
    for text, a in results:
        if a.unsubscribed:
            service.suppress(text.to_number, "21610")


def cancel_unsent(message_ids: Sequence[int], note: str) -> None:
    """Rows of a batch that were never handed over (the caller stopped). Commits."""
    if message_ids:
        db.session.execute(
            update(OutboundMessage).where(OutboundMessage.id.in_(list(message_ids)))
            .values(status=MessageState.CANCELLED, error_note=note[:80])
            .execution_options(synchronize_session=False))
        db.session.commit()


def abandon(message_ids: Any, note: str) -> None:
    """Rows a sender stopped working on mid-send (a killed worker): still `queued`, they may
    or may not have reached the provider. They are marked failed with `note`; the caller
    sends again under a new row. `message_ids`: a list or a subquery. No commit."""
    db.session.execute(
        update(OutboundMessage)
        .where(OutboundMessage.id.in_(message_ids), OutboundMessage.status == MessageState.QUEUED)
        .values(status=MessageState.FAILED, error_note=note[:80])
        .execution_options(synchronize_session=False))
