"""Detention-response cases and the legal-support directory.

A case holds the least that helps a family while someone is detained: who the family's contact
person is (encrypted; their phone also blind-indexed, so a YES/NO text finds the case), the
language, the needs, the team, dated milestones and a timeline of notes. There is no column for
an A-number, a country of birth, an immigration status or a criminal history, on purpose.

In clear: states, kinds, needs, languages, areas and dates (what a list sorts and counts).
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from aid.auth.models import User
from aid.extensions import Model
from aid.security.crypto import Encrypted, blind_index_column
from aid.timeutil import utcnow


class CaseState(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class Need(StrEnum):
    LAWYER = "lawyer"
    BOND = "bond"
    CHILDCARE = "childcare"
    MONEY = "money"
    ACCOMPANIMENT = "accompaniment"
    COMMISSARY = "commissary"
    TRANSPORT = "transport"


class MilestoneKind(StrEnum):
    LAWYER_CALL = "lawyer_call"  # first call with a lawyer
    BOND_HEARING = "bond_hearing"
    HEARING = "hearing"
    RELEASE = "release"


# Dates someone may want company at: adding one drafts an accompaniment shift.
HEARINGS = (MilestoneKind.BOND_HEARING, MilestoneKind.HEARING)


class Answer(StrEnum):
    YES = "yes"  # "yes, we need someone to come with us"
    NO = "no"
    NONE = "none"  # no answer after the second reminder


class LegalKind(StrEnum):
    LAWYER = "lawyer"
    BOND_FUND = "bond_fund"
    CLINIC = "clinic"


class Case(Model):
    __tablename__ = "cases"
    __table_args__ = (Index("ix_cases_status_created", "status", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    status: Mapped[str] = mapped_column(String(8), default=CaseState.OPEN, index=True)
    area_id: Mapped[int | None] = mapped_column(ForeignKey("areas.id"), index=True)
    language: Mapped[str] = mapped_column(String(8), default="es")
    needs: Mapped[str] = mapped_column(String(120), default="")  # comma-separated Need values
    contact_name: Mapped[str] = mapped_column(Encrypted("cases.contact_name"))
    contact_phone: Mapped[str | None] = mapped_column(Encrypted("cases.contact_phone"))
    contact_phone_index: Mapped[str | None] = blind_index_column(
        "phone", "contact_phone", index=True, nullable=True)
    coordinator_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True)
    # Where the case came from (any of them, or none when opened by hand).
    request_id: Mapped[int | None] = mapped_column(
        ForeignKey("help_requests.id", ondelete="SET NULL"), index=True)
    alert_report_id: Mapped[int | None] = mapped_column(
        ForeignKey("alert_reports.id", ondelete="SET NULL"), index=True)
    shift_report_id: Mapped[int | None] = mapped_column(
        ForeignKey("shift_reports.id", ondelete="SET NULL"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(index=True)

    coordinator: Mapped[User | None] = relationship(foreign_keys=[coordinator_id])

    @property
    def need_list(self) -> list[str]:
        return [n for n in self.needs.split(",") if n]

    @property
    def is_open(self) -> bool:
        return self.status == CaseState.OPEN


class CaseMember(Model):
    """A volunteer the case's coordinator added to the team."""

    __tablename__ = "case_members"
    __table_args__ = (UniqueConstraint("case_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    added_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship()


class Milestone(Model):
    """A dated step (first call with a lawyer, bond hearing, hearing, release)."""

    __tablename__ = "case_milestones"
    __table_args__ = (Index("ix_case_milestones_at", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    at: Mapped[datetime]  # naive UTC
    # Shown to the team only; never in a text (SMS is read by the carrier).
    place: Mapped[str | None] = mapped_column(Encrypted("case_milestones.place"))
    remind: Mapped[bool] = mapped_column(default=True)
    # Each reminder is claimed by setting its column before the text is queued.
    reminded_72h_at: Mapped[datetime | None]
    reminded_24h_at: Mapped[datetime | None]
    answer: Mapped[str | None] = mapped_column(String(8))
    answered_at: Mapped[datetime | None]
    # The team was told (NO, YES or silence): claimed like a reminder, so told once.
    escalated_at: Mapped[datetime | None]
    shift_id: Mapped[int | None] = mapped_column(
        ForeignKey("shifts.id", ondelete="SET NULL"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class CaseNote(Model):
    """One line of a case's timeline: a note someone wrote (encrypted), or an event."""

    __tablename__ = "case_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(24), default="note")  # note, or an event's name
    detail: Mapped[str] = mapped_column(String(80), default="")  # non-personal facts only
    body: Mapped[str | None] = mapped_column(Encrypted("case_notes.body"))

    author: Mapped[User | None] = relationship()


class LegalContact(Model):
    """A lawyer, bond fund or legal clinic the network works with."""

    __tablename__ = "legal_contacts"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(12), index=True)
    name: Mapped[str] = mapped_column(Encrypted("legal_contacts.name"))
    languages: Mapped[str] = mapped_column(String(80), default="")  # comma-separated codes
    takes: Mapped[str] = mapped_column(String(120), default="")  # comma-separated Need values
    reach: Mapped[str] = mapped_column(Encrypted("legal_contacts.reach"))  # how to reach them
    notes: Mapped[str | None] = mapped_column(Encrypted("legal_contacts.notes"))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    @property
    def language_list(self) -> list[str]:
        return [c for c in self.languages.split(",") if c]

    @property
    def take_list(self) -> list[str]:
        return [c for c in self.takes.split(",") if c]


class CaseLegal(Model):
    """A directory entry working on (or offered to) a case."""

    __tablename__ = "case_legal"
    __table_args__ = (UniqueConstraint("case_id", "contact_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    contact_id: Mapped[int] = mapped_column(
        ForeignKey("legal_contacts.id", ondelete="CASCADE"), index=True)
    linked_at: Mapped[datetime] = mapped_column(default=utcnow)

    contact: Mapped[LegalContact] = relationship()
