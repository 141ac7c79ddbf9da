"""SMS tables: every outbound text, inbound texts seen (for idempotency), the app's own
suppression list, alert subscribers and their one-time codes.

Phone numbers are stored encrypted and found by `phone_index` (a keyed hash of E.164); no table
here holds a number or a message body in clear.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Column, ForeignKey, Index, Integer, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from aid.extensions import Model, db
from aid.network.models import Area
from aid.security.crypto import Encrypted, Rekey, blind_index_column
from aid.timeutil import utcnow


class MessageState(StrEnum):
    """What became of an outgoing text: Twilio's statuses folded into ours, plus `suppressed`
    (never handed to a provider: the number opted out) and `cancelled` (an alert was stopped
    before this text was handed over). Stored as its string value."""

    QUEUED = "queued"
    SENT = "sent"
    DELIVERED = "delivered"
    UNDELIVERED = "undelivered"
    FAILED = "failed"
    SUPPRESSED = "suppressed"
    CANCELLED = "cancelled"


HANDED_OVER = frozenset({MessageState.QUEUED, MessageState.SENT, MessageState.DELIVERED})


class SubscriberState(StrEnum):
    ACTIVE = "active"
    STOPPED = "stopped"  # left on the web, or texted STOP (then the number is suppressed too)


class OutboundMessage(Model):
    """One text we send (or refused to send). `status` follows Twilio's, plus `suppressed`.

    queued -> sent -> delivered | undelivered, or failed; suppressed means never handed to
    any provider because the number opted out.
    """

    __tablename__ = "sms_outbound"
    __table_args__ = (
        Index("ix_sms_outbound_status_created", "status", "created_at"),
        # The outbox filtered by status, newest first (by id): an index walk from the page's
        # key, not a sort of every failed text.
        Index("ix_sms_outbound_status_order", "status", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    to_number: Mapped[str] = mapped_column(Encrypted("sms_outbound.to_number"))
    to_index: Mapped[str] = blind_index_column("phone", "to_number", index=True)
    body: Mapped[str] = mapped_column(Encrypted("sms_outbound.body"))
    purpose: Mapped[str] = mapped_column(String(32), index=True)
    status: Mapped[str] = mapped_column(String(16), default=MessageState.QUEUED)
    backend: Mapped[str] = mapped_column(String(16), default="console")
    provider_sid: Mapped[str | None] = mapped_column(String(64), unique=True)
    error_code: Mapped[int | None]
    error_note: Mapped[str] = mapped_column(String(80), default="")
    attempts: Mapped[int] = mapped_column(default=0)
    segments: Mapped[int] = mapped_column(default=1)
    validity_period: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    submitted_at: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    @property
    def to(self) -> str:
        return self.to_number


class InboundMessage(Model):
    """A text Twilio delivered to us, kept only to answer webhook retries the same way.

    The body is not stored: the feature that handles it (the hotline) keeps what it needs.
    """

    __tablename__ = "sms_inbound"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_sid: Mapped[str] = mapped_column(String(64), unique=True)
    phone_index: Mapped[str] = blind_index_column("phone", rekey=Rekey.MATCH, index=True)
    handled_as: Mapped[str] = mapped_column(String(16), default="")
    reply: Mapped[str | None] = mapped_column(Encrypted("sms_inbound.reply"))
    received_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class Suppression(Model):
    """A number that opted out (STOP, Twilio's opt-out, error 21610): nothing is sent to it
    by any feature until it opts in again. Twilio's own block covers one sender only."""

    __tablename__ = "sms_suppressions"

    id: Mapped[int] = mapped_column(primary_key=True)
    phone_index: Mapped[str] = blind_index_column("phone", rekey=Rekey.MATCH, unique=True)
    source: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


subscriber_areas = Table(
    "sms_subscriber_areas",
    db.metadata,
    Column("subscriber_id", Integer, ForeignKey("sms_subscribers.id", ondelete="CASCADE"),
           primary_key=True),
    Column("area_id", Integer, ForeignKey("areas.id", ondelete="CASCADE"), primary_key=True,
           index=True),
)


class SubscriberTopic(Model):
    """One topic a subscriber wants (see `subscriptions.TOPICS`); indexed for the fan-out."""

    __tablename__ = "sms_subscriber_topics"

    subscriber_id: Mapped[int] = mapped_column(
        ForeignKey("sms_subscribers.id", ondelete="CASCADE"), primary_key=True)
    topic: Mapped[str] = mapped_column(String(24), primary_key=True, index=True)


class Subscriber(Model):
    """Someone who gets alerts by text. No areas chosen means the whole network."""

    __tablename__ = "sms_subscribers"

    id: Mapped[int] = mapped_column(primary_key=True)
    phone: Mapped[str] = mapped_column(Encrypted("sms_subscribers.phone"))
    phone_index: Mapped[str] = blind_index_column("phone", "phone", unique=True)
    language: Mapped[str] = mapped_column(String(8), default="en")
    status: Mapped[str] = mapped_column(String(12), default=SubscriberState.ACTIVE, index=True)
    source: Mapped[str] = mapped_column(String(8), default="web")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    confirmed_at: Mapped[datetime | None]
    stopped_at: Mapped[datetime | None]

    areas: Mapped[list[Area]] = relationship(secondary=subscriber_areas, lazy="selectin")
    topic_rows: Mapped[list[SubscriberTopic]] = relationship(
        cascade="all, delete-orphan", lazy="selectin")

    @property
    def topics(self) -> list[str]:
        return sorted(t.topic for t in self.topic_rows)


class VerificationCode(Model):
    """A one-time code sent by SMS to prove a number is yours (subscribe, manage).

    Only a keyed hash of the code is stored; it expires and allows a few attempts. `choices`
    holds what the person picked on the form (area ids, topics, language: nothing personal),
    applied only once the code is confirmed.
    """

    __tablename__ = "sms_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    phone: Mapped[str] = mapped_column(Encrypted("sms_codes.phone"))
    phone_index: Mapped[str] = blind_index_column("phone", "phone", index=True)
    purpose: Mapped[str] = mapped_column(String(12))
    code_hash: Mapped[str] = blind_index_column("sms_code", rekey=Rekey.EXPIRE)
    choices: Mapped[str] = mapped_column(String(400), default="")
    attempts: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]


class Invitation(Model):
    """A number imported from another texting service, asked by text whether it wants our
    alerts. Consent cannot be imported: the number becomes a subscriber only when it
    answers YES (or texts JOIN). `choices` holds area ids and language, nothing personal."""

    __tablename__ = "sms_invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    phone: Mapped[str] = mapped_column(Encrypted("sms_invitations.phone"))
    phone_index: Mapped[str] = blind_index_column("phone", "phone", index=True)
    choices: Mapped[str] = mapped_column(String(400), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    expires_at: Mapped[datetime] = mapped_column(index=True)
    answered_at: Mapped[datetime | None]


class RateSlot(Model):
    """One sender's shared rate cap when there is no Redis (`aid.sms.pacing`): the next free
    send slot, and the head of its ring of recent start times (`RateStart`)."""

    __tablename__ = "sms_rate_slots"

    name: Mapped[str] = mapped_column(String(80), primary_key=True)
    next_at: Mapped[float] = mapped_column(default=0.0)  # seconds since the epoch
    head: Mapped[int] = mapped_column(default=0)  # starts recorded so far
    last_at: Mapped[float] = mapped_column(default=0.0)  # the newest start


class RateStart(Model):
    """A ring of a sender's latest start times, one row per position: a send may start only
    once the one `size` starts earlier is a window old."""

    __tablename__ = "sms_rate_starts"

    name: Mapped[str] = mapped_column(String(80), primary_key=True)
    pos: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    at: Mapped[float]
