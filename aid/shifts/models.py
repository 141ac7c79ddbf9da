"""Accompaniment shifts, who holds a place on them, and what happened afterwards."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from aid.auth.models import User
from aid.extensions import Model
from aid.network.models import Area
from aid.security.crypto import Encrypted
from aid.timeutil import utcnow


class ShiftKind(StrEnum):
    COURT = "court"
    ICE_CHECKIN = "ice_checkin"
    MEDICAL = "medical"
    SCHOOL_WALK = "school_walk"
    PATROL = "patrol"
    HOTLINE = "hotline"  # on call for the voice hotline: calls ring these volunteers' phones
    OTHER = "other"


class ShiftStatus(StrEnum):
    DRAFT = "draft"  # coordinators only, until the details are confirmed
    OPEN = "open"
    CANCELLED = "cancelled"


class SignupStatus(StrEnum):
    CONFIRMED = "confirmed"
    WAITLISTED = "waitlisted"
    WITHDRAWN = "withdrawn"


class Shift(Model):
    __tablename__ = "shifts"
    __table_args__ = (Index("ix_shifts_status_starts_at", "status", "starts_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), index=True)
    status: Mapped[str] = mapped_column(String(12), default=ShiftStatus.DRAFT)
    starts_at: Mapped[datetime] = mapped_column(index=True)
    duration_minutes: Mapped[int] = mapped_column(default=120)
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id"), index=True)
    needed: Mapped[int] = mapped_column(default=2)
    skills_wanted: Mapped[str] = mapped_column(String(200), default="")
    languages_wanted: Mapped[str] = mapped_column(String(80), default="")
    # Seen by every vetted volunteer: the form asks for no names or addresses here.
    summary: Mapped[str] = mapped_column(Encrypted("shifts.summary"))
    # Revealed only to volunteers confirmed on this shift, and to coordinators.
    meeting_place: Mapped[str] = mapped_column(Encrypted("shifts.meeting_place"))
    coordinator_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True)
    lead_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # The hotline request this shift answers, if any (its page shows the shift's report).
    request_id: Mapped[int | None] = mapped_column(
        ForeignKey("help_requests.id", ondelete="SET NULL"), index=True)
    # Bumped under the sign-up lock: on SQLite this write is what serialises sign-ups.
    lock_version: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    area: Mapped[Area] = relationship()
    coordinator: Mapped[User | None] = relationship(foreign_keys=[coordinator_id])
    report: Mapped[ShiftReport | None] = relationship(back_populates="shift")

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.duration_minutes)

    @property
    def skill_list(self) -> list[str]:
        return [c for c in self.skills_wanted.split(",") if c]

    @property
    def language_list(self) -> list[str]:
        return [c for c in self.languages_wanted.split(",") if c]


class Signup(Model):
    """One volunteer's place on one shift (withdrawing keeps the row, for the record)."""

    __tablename__ = "shift_signups"
    __table_args__ = (
        UniqueConstraint("shift_id", "user_id"),
        Index("ix_shift_signups_shift_id_status", "shift_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    shift_id: Mapped[int] = mapped_column(ForeignKey("shifts.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(12), index=True)
    queued_at: Mapped[datetime] = mapped_column(default=utcnow)  # waitlist order
    confirmed_at: Mapped[datetime | None]
    withdrawn_at: Mapped[datetime | None]
    checked_in_at: Mapped[datetime | None]
    checked_out_at: Mapped[datetime | None]
    checkout_alerted_at: Mapped[datetime | None]
    # Each reminder is claimed by setting its column, so it goes out once, restarts or not.
    reminded_24h_at: Mapped[datetime | None]
    reminded_2h_at: Mapped[datetime | None]
    # The volunteer answered a reminder with YES: they are really coming.
    reconfirmed_at: Mapped[datetime | None]

    shift: Mapped[Shift] = relationship()
    user: Mapped[User] = relationship()


class ShiftReport(Model):
    """The lead volunteer's after-action report."""

    __tablename__ = "shift_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    shift_id: Mapped[int] = mapped_column(ForeignKey("shifts.id", ondelete="CASCADE"),
                                          unique=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    outcome: Mapped[str] = mapped_column(String(20))
    summary: Mapped[str] = mapped_column(Encrypted("shift_reports.summary"))
    next_date: Mapped[date | None]
    follow_ups: Mapped[str | None] = mapped_column(Encrypted("shift_reports.follow_ups"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    shift: Mapped[Shift] = relationship(back_populates="report")
    author: Mapped[User | None] = relationship()


class ShiftKindDefault(Model):
    """Per-type default capacity (e.g. family court: at most 3 in the room)."""

    __tablename__ = "shift_kind_defaults"

    kind: Mapped[str] = mapped_column(String(20), primary_key=True)
    capacity: Mapped[int]
