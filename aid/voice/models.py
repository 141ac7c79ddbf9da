"""The voice hotline's tables: every call (the call log), voicemails, blocked numbers and the
line's settings.

Numbers are stored only encrypted and found by blind index, like every phone in Aid; a
recording is kept encrypted too (base64 of the audio inside the encrypted column, so key
rotation and the wipe find it like any other value). What stays in clear is what a call log
needs to count: when, which language, how long, what became of the call.
"""

from __future__ import annotations

import base64
from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String, Text, true
from sqlalchemy.orm import Mapped, mapped_column

from aid.extensions import Model
from aid.security.crypto import Encrypted, blind_index_column
from aid.timeutil import utcnow


class Direction(StrEnum):
    INBOUND = "inbound"  # someone called the hotline
    CALLBACK = "callback"  # a volunteer called a requester back through the hotline


class Outcome(StrEnum):
    """Where a call is, then what became of it."""

    MENU = "menu"  # choosing a language
    RINGING = "ringing"  # ringing the people on call
    VOICEMAIL = "voicemail"  # nobody took it: the caller is asked for a message
    ANSWERED = "answered"  # someone on call took it
    LEFT_MESSAGE = "left_message"  # a voicemail was recorded
    MISSED = "missed"  # hung up with no answer and no message
    BLOCKED = "blocked"  # a blocked number: rejected
    CALLING = "calling"  # a callback: ringing the volunteer
    CONNECTED = "connected"  # a callback: volunteer and requester talked
    NOT_REACHED = "not_reached"  # a callback: either side did not pick up
    CLOSED = "closed"  # voice turned off: the caller heard so


IN_PROGRESS = (Outcome.MENU, Outcome.RINGING, Outcome.VOICEMAIL, Outcome.CALLING)


class VoiceCall(Model):
    """One call through the hotline number, either way."""

    __tablename__ = "voice_calls"
    __table_args__ = (
        # The call log, newest first (a walk from the page's key). Both indexes can count the
        # week's calls per outcome from the index alone, over the week's entries only (with
        # planner statistics SQLite takes the second, one range per outcome).
        Index("ix_voice_calls_started_order", "started_at", "id", "outcome"),
        # The call log filtered by outcome, in the same order.
        Index("ix_voice_calls_outcome_order", "outcome", "started_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    call_sid: Mapped[str | None] = mapped_column(String(64), unique=True)
    direction: Mapped[str] = mapped_column(String(10), default=Direction.INBOUND)
    # The caller (inbound) or the requester called back: never shown on a page.
    phone: Mapped[str | None] = mapped_column(Encrypted("voice_calls.phone"))
    phone_index: Mapped[str | None] = blind_index_column("phone", "phone", index=True,
                                                         nullable=True)
    language: Mapped[str] = mapped_column(String(8), default="en")
    outcome: Mapped[str] = mapped_column(String(16), default=Outcome.MENU, index=True)
    # Inbound: who took the call. Callback: the volunteer or coordinator who called back.
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"),
                                                 index=True)
    request_id: Mapped[int | None] = mapped_column(
        ForeignKey("help_requests.id", ondelete="SET NULL"), index=True)
    rang: Mapped[int] = mapped_column(default=0)  # how many phones rang at once
    duration_seconds: Mapped[int | None]
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[datetime | None]

    @property
    def ended(self) -> bool:
        return self.outcome not in IN_PROGRESS


class RecordingState(StrEnum):
    PENDING = "pending"  # Twilio has it, we do not yet
    STORED = "stored"  # fetched and encrypted here; Twilio's copy may still need deleting
    FAILED = "failed"  # could not be fetched after several tries


class Voicemail(Model):
    """A message a caller left: deleted with its request (a foreign-key cascade)."""

    __tablename__ = "voice_voicemails"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("help_requests.id", ondelete="CASCADE"), index=True)
    call_id: Mapped[int | None] = mapped_column(
        ForeignKey("voice_calls.id", ondelete="SET NULL"), index=True)
    recording_sid: Mapped[str] = mapped_column(String(64), unique=True)
    duration_seconds: Mapped[int] = mapped_column(default=0)
    state: Mapped[str] = mapped_column(String(10), default=RecordingState.PENDING, index=True)
    # base64 of the audio, encrypted like every personal value.
    audio_b64: Mapped[str | None] = mapped_column(Encrypted("voice_voicemails.audio_b64"))
    content_type: Mapped[str] = mapped_column(String(32), default="audio/mpeg")
    attempts: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    stored_at: Mapped[datetime | None]
    deleted_at_twilio: Mapped[datetime | None]

    @property
    def audio(self) -> bytes | None:
        return base64.b64decode(self.audio_b64) if self.audio_b64 else None

    @audio.setter
    def audio(self, data: bytes | None) -> None:
        self.audio_b64 = base64.b64encode(data).decode() if data else None


class Block(Model):
    """A number that harasses the line: its calls are rejected and its texts ignored (STOP
    and HELP still answered) until `expires_at`, unless renewed or lifted."""

    __tablename__ = "voice_blocks"

    id: Mapped[int] = mapped_column(primary_key=True)
    phone: Mapped[str] = mapped_column(Encrypted("voice_blocks.phone"))
    phone_index: Mapped[str] = blind_index_column("phone", "phone", index=True)
    call_id: Mapped[int | None] = mapped_column(
        ForeignKey("voice_calls.id", ondelete="SET NULL"))
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(index=True)
    lifted_at: Mapped[datetime | None]


class VoiceSettings(Model):
    """One row: how the line behaves (an admin sets it at /admin/settings/voice)."""

    __tablename__ = "voice_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    enabled: Mapped[bool] = mapped_column(default=True, server_default=true())
    greeting_en: Mapped[str] = mapped_column(Text, default="", server_default="")
    greeting_es: Mapped[str] = mapped_column(Text, default="", server_default="")
    ring_seconds: Mapped[int] = mapped_column(default=20, server_default="20")
    voicemail_seconds: Mapped[int] = mapped_column(default=120, server_default="120")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    def greeting(self, locale: str) -> str:
        return (self.greeting_es if locale == "es" else self.greeting_en).strip()
