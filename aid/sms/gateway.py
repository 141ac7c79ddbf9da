"""Sending texts: one interface, two backends (`AID_SMS_BACKEND` = console | twilio).

    from aid.sms.gateway import send_sms, queue_sms

    send_sms("+12025550123", "Your shift starts at 9.", purpose="reminder")
    queue_sms(number, text, purpose="alert", validity_period=900)  # from a view: after commit

Every text is an `OutboundMessage` row first (status queued), so an admin can see what was
sent, to whom (masked), and what became of it. A number on the app's suppression list (it
texted STOP, or Twilio reported 21610) is never sent to: the row is marked `suppressed` and
nothing leaves, whichever feature asked. The list is checked again right before the provider
is called, so an opt-out that arrives while a text waits in the queue still wins.

Twilio's sync client does not retry: the gateway retries 429 (error 20429), 5xx and refused
connections with exponential backoff and jitter, up to `SMS_MAX_ATTEMPTS` tries in all; any
other 4xx is final (21610 also suppresses the number).
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from huey import crontab

from aid.admin.service import current_settings
from aid.extensions import db
from aid.phones import normalise_phone, phone_index
from aid.sms import service
from aid.sms.backends import Backend, PermanentError, Sendable, TransientError, backend_for
from aid.sms.models import OutboundMessage
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
        status="queued", backend=current_app.config["SMS_BACKEND"],
        segments=segment_info(body)[1], validity_period=validity_period, attempts=0,
    )
    if service.is_suppressed(e164):
        msg.status, msg.error_note = "suppressed", "opted out"
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
    if msg.status == "queued":
        deliver(msg)
    return msg


def queue_sms(to: str, body: str, *, purpose: str,
              validity_period: int | None = None) -> OutboundMessage:
    """Like `send_sms`, but the provider is called by the background worker.

    The row is committed first and the job enqueued after the commit, so the worker always
    finds it; web requests use this so they never wait on Twilio.
    """
    msg = _create(to, body, purpose, validity_period)
    if msg.status == "queued":
        deliver_task(msg.id)
    return msg


@task()
def deliver_task(message_id: int) -> None:
    msg = db.session.get(OutboundMessage, message_id)
    # Only a row nobody has tried yet: a duplicated job must not send twice.
    if msg is None or msg.status != "queued" or msg.attempts or msg.provider_sid:
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

    status: str  # sent or queued (handed over), failed, suppressed
    attempts: int
    sid: str | None = None
    error_code: int | None = None
    error_note: str = ""
    unsubscribed: bool = False  # Twilio said 21610: suppress the number


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
                return Attempt("failed", attempt, error_code=exc.code,
                               error_note=f"gave up after {attempt} tries ({exc.reason})"[:80])
            last = Attempt("queued", attempt, error_code=exc.code,
                           error_note=f"retrying ({exc.reason})"[:80])
            time.sleep(_backoff(attempt))
            continue
        except PermanentError as exc:
            return Attempt("failed", attempt, error_code=exc.code, error_note=exc.reason[:80],
                           unsubscribed=exc.code == service.UNSUBSCRIBED_ERROR)
        return Attempt(result.status, attempt, sid=result.sid)


def deliver(msg: OutboundMessage) -> None:
    """Hand a queued row to the backend, retrying transient failures. Commits."""
    try:
        backend = backend_for(msg.backend)
    except PermanentError as exc:
        msg.status, msg.error_note = "failed", exc.reason[:80]
        db.session.commit()
        return

    def before(attempt: int, last: Attempt | None) -> Attempt | None:
        if last is not None:
            msg.error_code, msg.error_note = last.error_code, last.error_note
        if service.is_suppressed(msg.to_number):
            return Attempt("suppressed", attempt - 1, error_note="opted out")
        validity = _remaining_validity(msg)
        if validity is not None and validity < 1:
            return Attempt("failed", attempt - 1,
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
    from sqlalchemy import select

    now = utcnow()
    ids = db.session.scalars(select(OutboundMessage.id).where(
        OutboundMessage.status == "queued", OutboundMessage.attempts == 0,
        OutboundMessage.created_at < now - timedelta(minutes=5),
        OutboundMessage.created_at > now - timedelta(days=1)).limit(1000)).all()
    for message_id in ids:
        deliver_task(message_id)
