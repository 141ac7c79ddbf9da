"""Bulk texts to volunteers. What was written is encrypted; who was picked is a filter (codes
only), and what each person got is the SMS gateway's own message row, linked here by id."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from aid.extensions import Model
from aid.security.crypto import Encrypted
from aid.timeutil import utcnow


class BulkState(StrEnum):
    PENDING = "pending"  # over the threshold: waits for a second coordinator
    SENDING = "sending"
    SENT = "sent"
    CANCELLED = "cancelled"


class BulkText(Model):
    __tablename__ = "bulk_texts"

    id: Mapped[int] = mapped_column(primary_key=True)
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True)
    approver_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(12), default=BulkState.PENDING, index=True)
    # The volunteer filters as a query string ("status=vetted&language=es&area=3").
    filters: Mapped[str] = mapped_column(String(300), default="")
    recipients: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    approved_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    # The lease of the one job sending it (aid.outreach.sending): who, and when renewed.
    claim_token: Mapped[str | None] = mapped_column(String(32))
    claimed_at: Mapped[datetime | None]

    bodies: Mapped[list[BulkTextBody]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="BulkTextBody.id",
        lazy="selectin")

    def text_for(self, language: str) -> str:
        """The text in `language`, else the first one written."""
        texts = {b.language: b.body for b in self.bodies}
        return texts.get(language) or (self.bodies[0].body if self.bodies else "")


class BulkTextBody(Model):
    __tablename__ = "bulk_text_bodies"

    id: Mapped[int] = mapped_column(primary_key=True)
    bulk_id: Mapped[int] = mapped_column(ForeignKey("bulk_texts.id", ondelete="CASCADE"),
                                         index=True)
    language: Mapped[str] = mapped_column(String(8))
    body: Mapped[str] = mapped_column(Encrypted("bulk_text_bodies.body"))


class BulkTextMessage(Model):
    """Which gateway message belongs to which bulk text (the message row holds the number)."""

    __tablename__ = "bulk_text_messages"

    bulk_id: Mapped[int] = mapped_column(ForeignKey("bulk_texts.id", ondelete="CASCADE"),
                                         primary_key=True)
    message_id: Mapped[int] = mapped_column(primary_key=True, index=True)
    # Set right before the text goes to the provider, cleared by its outcome being recorded
    # (the message row's status): a job taking over knows which one was mid-send.
    sending_at: Mapped[datetime | None]
