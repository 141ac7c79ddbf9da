"""Notifications: one row per message to one person on one channel, and each person's choices.

A row's address (an email or a phone) is personal, so it is encrypted and found by a blind
index; the body never holds a personal detail (only a kind of event and a link), and is kept
encrypted all the same, since a reference code is in some of them.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from aid.extensions import Model
from aid.security.crypto import Encrypted, Rekey, blind_index_column
from aid.timeutil import utcnow


class NoteState(StrEnum):
    PENDING = "pending"  # waiting for its time (now, or the end of quiet hours)
    DIGEST = "digest"  # waiting for the daily digest
    DIGESTED = "digested"  # folded into a digest row
    SENDING = "sending"  # claimed by a worker: never handed out again
    SENT = "sent"
    FAILED = "failed"  # gave up (temporary failures went on too long, or the worker died)
    BOUNCED = "bounced"  # the mail server refused the address for good (5xx)
    SUPPRESSED = "suppressed"  # the number texted STOP: nothing left
    SKIPPED = "skipped"  # nowhere to send it (no address for the chosen channel)


DONE_STATES = (NoteState.SENT, NoteState.FAILED, NoteState.BOUNCED, NoteState.SUPPRESSED,
               NoteState.SKIPPED, NoteState.DIGESTED)


class Notification(Model):
    __tablename__ = "notifications"
    __table_args__ = (UniqueConstraint("dedupe_key", "channel"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(32), index=True)
    channel: Mapped[str] = mapped_column(String(8))  # sms | email
    locale: Mapped[str] = mapped_column(String(8), default="en")
    urgent: Mapped[bool] = mapped_column(default=False)
    state: Mapped[str] = mapped_column(String(16), default=NoteState.PENDING, index=True)
    to_address: Mapped[str | None] = mapped_column(Encrypted("notifications.to_address"))
    # Made per channel ("notify.sms", "notify.email"), so rotation lets old ones lapse with
    # their short-lived rows rather than recomputing them.
    to_index: Mapped[str | None] = blind_index_column("notify", rekey=Rekey.EXPIRE, index=True,
                                                      nullable=True)
    link: Mapped[str] = mapped_column(String(300), default="")
    body: Mapped[str | None] = mapped_column(Encrypted("notifications.body"))
    params: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)  # never personal
    dedupe_key: Mapped[str | None] = mapped_column(String(80))
    not_before: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    claimed_at: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    message_id: Mapped[int | None]  # the gateway's outbound row, for texts
    error_note: Mapped[str] = mapped_column(String(80), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class Preference(Model):
    """What one person chose: channels per kind, quiet hours, language, on-duty days."""

    __tablename__ = "notify_preferences"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    # {kind: ["email", "sms"]}; a kind not named here takes the kind's default.
    channels: Mapped[dict[str, list[str]]] = mapped_column(JSON, default=dict)
    quiet_start: Mapped[int | None]  # minutes after local midnight
    quiet_end: Mapped[int | None]
    locale: Mapped[str | None] = mapped_column(String(8))
    on_duty_days: Mapped[str] = mapped_column(String(20), default="0,1,2,3,4,5,6")  # Mon=0
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
