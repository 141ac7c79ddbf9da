"""Sending claimed rows: render in the person's language, hand to email or the SMS gateway.

Temporary failures (a 4xx, a server that is down) put the row back with a later `not_before`
for the periodic `dispatch_due`, up to NOTIFY_MAX_ATTEMPTS tries; a 5xx from the mail server
records the row as bounced. One failing row never stops the others.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from flask_babel import force_locale
from sqlalchemy import select

from aid.extensions import db
from aid.network.service import current_settings
from aid.notify import events, mailer, service, texting
from aid.notify.models import NoteState, Notification
from aid.timeutil import utcnow


def render(note: Notification) -> tuple[str, str, str]:
    """(subject, plain text, html) in the row's language; no personal detail can enter."""
    info = events.kind(note.kind)
    network = current_settings().network_name
    with force_locale(note.locale):
        line = info.line(note.params or {})
        subject = f"{network}: {info.label()}"
        unsubscribe = _unsubscribe_url(note)
        context = {"network": network, "line": line, "link": note.link,
                   "unsubscribe": unsubscribe, "locale": note.locale,
                   "settings_url": f"{current_app.config['PUBLIC_URL']}/my/notifications"}
        # Straight from the environment: the worker has no request (nor signed-in user)
        # for the app's context processors to read.
        env = current_app.jinja_env
        text = env.get_template("notify/email.txt").render(**context)
        html = env.get_template("notify/email.html").render(**context)
    return subject, text, html


def sms_body(note: Notification) -> str:
    info = events.kind(note.kind)
    with force_locale(note.locale):
        line = info.line(note.params or {})
        network = current_settings().network_name
    return " ".join(part for part in (f"{network}:", line, note.link) if part)


def _unsubscribe_url(note: Notification) -> str | None:
    if note.user_id is None or events.kind(note.kind).essential:
        return None
    token = service.unsubscribe_token(note.user_id, note.kind)
    return f"{current_app.config['PUBLIC_URL']}/notify/unsubscribe/{token}"


def deliver(note_id: int, now: datetime | None = None) -> str | None:
    """Claim and send one row; returns its new state (None: not ours to send)."""
    now = now or utcnow()
    if not service.claim(note_id, now):
        return None
    note = db.session.get(Notification, note_id)
    assert note is not None
    try:
        if note.channel == events.SMS:
            _send_text(note)
        else:
            _send_email(note)
    except mailer.TemporaryFailure as exc:
        _retry_later(note, str(exc), now)
    except mailer.PermanentFailure as exc:
        note.state, note.error_note = NoteState.BOUNCED, str(exc)[:80]
    except Exception:  # noqa: BLE001 (a bug must not strand the row: it is tried again)
        current_app.logger.exception("notification %s could not be sent", note_id)
        db.session.rollback()
        note = db.session.get(Notification, note_id)
        assert note is not None
        _retry_later(note, "unexpected error", now)
    db.session.commit()
    return note.state


def _send_text(note: Notification) -> None:
    note.body = sms_body(note)
    handed = texting.send_text(note.to_address or "", note.body)
    note.message_id = handed.message_id
    if handed.status == "suppressed":
        note.state, note.error_note = NoteState.SUPPRESSED, "opted out by text"
    elif handed.status == "failed":
        note.state, note.error_note = NoteState.FAILED, "the SMS gateway refused it"
    else:
        note.state, note.sent_at = NoteState.SENT, utcnow()


def _send_email(note: Notification) -> None:
    subject, text, html = render(note)
    note.body = text
    headers: dict[str, str] = {"Auto-Submitted": "auto-generated"}
    unsubscribe = _unsubscribe_url(note)
    if unsubscribe:
        headers["List-Unsubscribe"] = f"<{unsubscribe}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    mailer.send(mailer.Mail(note.to_address or "", subject, text, html, headers),
                current_settings().network_name)
    note.state, note.sent_at, note.error_note = NoteState.SENT, utcnow(), ""


def _retry_later(note: Notification, reason: str, now: datetime) -> None:
    if note.attempts >= current_app.config["NOTIFY_MAX_ATTEMPTS"]:
        note.state = NoteState.FAILED
        note.error_note = f"gave up after {note.attempts} tries ({reason})"[:80]
        return
    wait = current_app.config["NOTIFY_RETRY_SECONDS"] * 2 ** (note.attempts - 1)
    note.state, note.not_before = NoteState.PENDING, now + timedelta(seconds=wait)
    note.error_note = f"retrying ({reason})"[:80]


def dispatch_due(now: datetime | None = None, limit: int = 500) -> int:
    """Send rows whose time has come (quiet hours over, a retry due, a lost job); returns
    how many were sent. Interrupted rows are closed first."""
    now = now or utcnow()
    fail_interrupted(now)
    ids = db.session.scalars(select(Notification.id).where(
        Notification.state == NoteState.PENDING, Notification.not_before <= now)
        .order_by(Notification.not_before, Notification.id).limit(limit)).all()
    return sum(1 for note_id in ids if deliver(note_id, now) == NoteState.SENT)


def fail_interrupted(now: datetime) -> int:
    """A row claimed long ago and never finished: its worker died mid-send. Whether it left
    is unknown, so it is recorded as failed (for the admin to see), never sent again."""
    rows = db.session.scalars(select(Notification).where(
        Notification.state == NoteState.SENDING,
        Notification.claimed_at < now - service.INTERRUPTED_AFTER)).all()
    for row in rows:
        row.state, row.error_note = NoteState.FAILED, "interrupted: not sent again"
    db.session.commit()
    return len(rows)


def send_digests(now: datetime | None = None) -> int:
    """Fold each person's waiting digest rows into one notification per channel."""
    now = now or utcnow()
    rows = db.session.scalars(select(Notification).where(
        Notification.state == NoteState.DIGEST, Notification.not_before <= now)
        .order_by(Notification.id)).all()
    groups: dict[tuple[int | None, str], list[Notification]] = {}
    for row in rows:
        groups.setdefault((row.user_id, row.channel), []).append(row)
    made: list[Notification] = []
    for (user_id, channel), items in groups.items():
        first = items[0]
        digest = Notification(
            user_id=user_id, kind="digest", channel=channel, locale=first.locale,
            state=NoteState.PENDING, to_address=first.to_address, to_index=first.to_index,
            link=_queue_link(first.link), params={"count": str(len(items))}, not_before=now,
            created_at=now)
        db.session.add(digest)
        made.append(digest)
        for item in items:
            item.state = NoteState.DIGESTED
    db.session.commit()
    return sum(1 for d in made if deliver(d.id, now) == NoteState.SENT)


def _queue_link(link: str) -> str:
    base = current_app.config["PUBLIC_URL"]
    return f"{base}/coordinator/requests" if link.startswith(base) else link

