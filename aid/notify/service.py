"""One door for telling people things: `notify(person, kind, path=...)`.

Every feature calls this (or `notify_on_duty` for the coordinators on duty) once its own
change is committed. It picks the channels the person chose for that kind (email, text or
both), their language and quiet hours, and writes one row per channel; the worker claims each
row before sending it, so a killed or restarted worker never sends one twice (a row it was
holding is marked failed, never sent again).

Notify imports no feature: a feature hands it a user id (looked up through the directory the
volunteers feature registers at start-up) or a `Recipient` with the contact to use.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import func, select, update

from aid.extensions import db
from aid.notify import events
from aid.notify.models import NoteState, Notification, Preference
from aid.security.crypto import blind_index
from aid.tasks import Deferred
from aid.timeutil import from_local, to_local, utcnow

INTERRUPTED_AFTER = timedelta(minutes=10)


@dataclass
class Recipient:
    user_id: int | None = None
    email: str | None = None
    phone: str | None = None
    locale: str = "en"


@dataclass
class Directory:
    person: Callable[[int], Recipient | None]
    coordinators: Callable[[], list[int]]


_directory: Directory | None = None


def register_directory(directory: Directory) -> None:
    """Called once by the feature that knows people (volunteers), at start-up."""
    global _directory
    _directory = directory


def _lookup(user_id: int) -> Recipient | None:
    if _directory is None:
        raise RuntimeError("no directory of people was registered with notify")
    return _directory.person(user_id)


# -- preferences ----------------------------------------------------------------------------

def preference(user_id: int) -> Preference:
    pref = db.session.get(Preference, user_id)
    return pref if pref is not None else Preference(user_id=user_id, channels={},
                                                     on_duty_days="0,1,2,3,4,5,6")


def channels_for(user_id: int | None, kind: events.Kind) -> tuple[str, ...]:
    if user_id is None:
        return kind.channels
    chosen = preference(user_id).channels.get(kind.name)
    if chosen is None or kind.essential and not chosen:
        return kind.channels
    return tuple(c for c in events.CHANNELS if c in chosen)


def save_preferences(user_id: int, *, channels: dict[str, list[str]], quiet_start: int | None,
                     quiet_end: int | None, locale: str | None,
                     on_duty_days: list[int] | None = None) -> Preference:
    pref = db.session.get(Preference, user_id) or Preference(user_id=user_id)
    pref.channels = {k: [c for c in v if c in events.CHANNELS] for k, v in channels.items()
                     if k in events.KINDS}
    if quiet_start is None or quiet_end is None or quiet_start == quiet_end:
        quiet_start = quiet_end = None
    pref.quiet_start, pref.quiet_end, pref.locale = quiet_start, quiet_end, locale or None
    if on_duty_days is not None:
        pref.on_duty_days = ",".join(str(d) for d in sorted(set(on_duty_days)) if 0 <= d <= 6)
    db.session.add(pref)
    db.session.commit()
    return pref


def quiet_until(pref: Preference, now: datetime) -> datetime | None:
    """The end of the person's quiet hours, when `now` falls inside them."""
    if pref.quiet_start is None or pref.quiet_end is None:
        return None
    local = to_local(now)
    minute = local.hour * 60 + local.minute
    start, end = pref.quiet_start, pref.quiet_end
    inside = start <= minute < end if start < end else minute >= start or minute < end
    if not inside:
        return None
    end_local = local.replace(hour=end // 60, minute=end % 60, second=0, microsecond=0)
    if end_local <= local:
        end_local += timedelta(days=1)
    return from_local(end_local)


# -- creating ------------------------------------------------------------------------------

def _address(recipient: Recipient, channel: str) -> str | None:
    return recipient.email if channel == events.EMAIL else recipient.phone


def _next_digest(now: datetime) -> datetime:
    hour, _sep, minute = current_app.config["NOTIFY_DIGEST_TIME"].partition(":")
    local = to_local(now)
    at = local.replace(hour=int(hour), minute=int(minute or 0), second=0, microsecond=0)
    if at <= local:
        at += timedelta(days=1)
    return from_local(at)


def notify(person: int | Recipient, kind: str, *, path: str = "",
           params: dict[str, str] | None = None, dedupe: str | None = None,
           digest: bool = False, now: datetime | None = None) -> list[Notification]:
    """Tell one person about one event; returns the rows written (one per channel).

    `path` is the page the link opens (after sign-in); `params` fill the sentence and must
    hold no personal detail; `dedupe` makes a second call with the same key a no-op (a stale
    request is escalated once); `digest` waits for the daily digest. Commits, then hands the
    rows that are due to the worker.
    """
    info = events.kind(kind)
    now = now or utcnow()
    recipient = person if isinstance(person, Recipient) else _lookup(person)
    if recipient is None:
        return []
    pref = preference(recipient.user_id) if recipient.user_id else None
    locale = (pref.locale if pref is not None and pref.locale else None) or recipient.locale
    held = None if info.urgent or pref is None else quiet_until(pref, now)
    rows: list[Notification] = []
    for channel in channels_for(recipient.user_id, info):
        if dedupe and db.session.scalar(select(Notification.id).where(
                Notification.dedupe_key == dedupe, Notification.channel == channel)):
            continue
        address = _address(recipient, channel)
        state = NoteState.DIGEST if digest else NoteState.PENDING
        row = Notification(
            user_id=recipient.user_id, kind=kind, channel=channel, locale=locale or "en",
            urgent=info.urgent, state=state if address else NoteState.SKIPPED,
            to_address=address, to_index=_index(channel, address), link=_link(path),
            params=dict(params or {}), dedupe_key=dedupe, created_at=now,
            not_before=_next_digest(now) if digest else held or now,
            error_note="" if address else f"no {channel} on file")
        db.session.add(row)
        rows.append(row)
    db.session.commit()
    for row in rows:
        if row.state == NoteState.PENDING and row.not_before <= now:
            _enqueue(row.id)
    return rows


def notify_on_duty(kind: str, *, path: str = "", params: dict[str, str] | None = None,
                   dedupe: str | None = None, digest: bool = False,
                   now: datetime | None = None) -> list[Notification]:
    """Tell every coordinator on duty today (each chooses their days on their page)."""
    now = now or utcnow()
    rows: list[Notification] = []
    for user_id in on_duty(now):
        rows += notify(user_id, kind, path=path, params=params, now=now, digest=digest,
                       dedupe=f"{dedupe}:{user_id}" if dedupe else None)
    return rows


# The worker's job that tells the coordinators on duty; `aid.notify.tasks` fills it in.
on_duty_later = Deferred("notify.on_duty_later")


def notify_on_duty_later(kind: str, *, path: str = "", params: dict[str, str] | None = None,
                         digest: bool = False) -> None:
    """`notify_on_duty`, done by the worker: for a page a member of the public sends (a help
    request, a post, a report), who should not wait while a notice is written for each
    coordinator, nor pay for a bigger team. Call it after the change is committed."""
    events.kind(kind)  # an unknown kind fails here, in the caller, not later in the worker
    on_duty_later(kind, path=path, params=params, digest=digest)


def on_duty(now: datetime | None = None) -> list[int]:
    """The coordinators on duty today (each chooses their days on their page)."""
    if _directory is None:
        raise RuntimeError("no directory of people was registered with notify")
    today = str(to_local(now or utcnow()).weekday())
    return [user_id for user_id in _directory.coordinators()
            if today in preference(user_id).on_duty_days.split(",")]


def _index(channel: str, address: str | None) -> str | None:
    return blind_index(address.strip().lower() if address else None, f"notify.{channel}")


def _link(path: str) -> str:
    return f"{current_app.config['PUBLIC_URL']}{path}" if path else ""


# The worker's job that sends one row; `aid.notify.tasks` fills it in.
deliver_later = Deferred("notify.deliver_later")


def _enqueue(note_id: int) -> None:
    deliver_later(note_id)


# -- unsubscribe (RFC 8058 one-click) ------------------------------------------------------

def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="notify-unsubscribe")


def unsubscribe_token(user_id: int, kind: str) -> str:
    return str(_serializer().dumps([user_id, kind]))


def read_unsubscribe_token(token: str) -> tuple[int, str] | None:
    try:
        user_id, kind = _serializer().loads(token)
    except (BadSignature, ValueError, TypeError):
        return None
    info = events.KINDS.get(kind)
    if info is None or info.essential or not isinstance(user_id, int):
        return None
    return user_id, kind


def unsubscribe(user_id: int, kind: str) -> None:
    """No more email of this kind for this person (texts, if chosen, go on)."""
    pref = db.session.get(Preference, user_id) or Preference(user_id=user_id, channels={})
    now_chosen = list(channels_for(user_id, events.kind(kind)))
    pref.channels = {**(pref.channels or {}),
                     kind: [c for c in now_chosen if c != events.EMAIL]}
    db.session.add(pref)
    db.session.commit()


# -- the admin's view ----------------------------------------------------------------------

@dataclass
class Line:
    kind: str
    channel: str
    sent: int
    failed: int
    waiting: int


def summary(days: int, now: datetime | None = None) -> list[Line]:
    since = (now or utcnow()) - timedelta(days=days)
    counts = db.session.execute(
        select(Notification.kind, Notification.channel, Notification.state, func.count())
        .where(Notification.created_at >= since)
        .group_by(Notification.kind, Notification.channel, Notification.state)).all()
    lines: dict[tuple[str, str], Line] = {}
    for kind, channel, state, count in counts:
        line = lines.setdefault((kind, channel), Line(kind, channel, 0, 0, 0))
        if state == NoteState.SENT:
            line.sent += count
        elif state in (NoteState.FAILED, NoteState.BOUNCED, NoteState.SUPPRESSED,
                       NoteState.SKIPPED):
            line.failed += count
        elif state != NoteState.DIGESTED:
            line.waiting += count
    return sorted(lines.values(), key=lambda x: (x.kind, x.channel))


def claim(note_id: int, now: datetime) -> bool:
    """Take a due row for sending; False when another worker has it (or it is not due)."""
    result = db.session.execute(
        update(Notification)
        .where(Notification.id == note_id, Notification.state == NoteState.PENDING,
               Notification.not_before <= now)
        .values(state=NoteState.SENDING, claimed_at=now, attempts=Notification.attempts + 1))
    db.session.commit()
    return result.rowcount == 1  # type: ignore[attr-defined]
