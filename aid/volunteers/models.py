"""Volunteer profiles and vouches. Personal values are encrypted; categories stay searchable."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, ForeignKey, String, Table, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from aid.auth.models import User
from aid.extensions import Model, db
from aid.network.models import Area
from aid.security.crypto import Encrypted, blind_index_column
from aid.timeutil import utcnow

volunteer_areas = Table(
    "volunteer_areas",
    db.metadata,
    Column("profile_id", ForeignKey("volunteer_profiles.id", ondelete="CASCADE"),
           primary_key=True),
    Column("area_id", ForeignKey("areas.id", ondelete="CASCADE"), primary_key=True),
)


class VolunteerProfile(Model):
    """What a volunteer told us at sign-up, and where they stand in vetting and training."""

    __tablename__ = "volunteer_profiles"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    phone: Mapped[str] = mapped_column(Encrypted("volunteer_profiles.phone"))
    phone_index: Mapped[str | None] = blind_index_column("phone", "phone", index=True)
    # Codes, comma-separated: categories a shift is matched on, not personal details.
    languages: Mapped[str] = mapped_column(String(80), default="")
    skills: Mapped[str] = mapped_column(String(200), default="")
    availability: Mapped[str] = mapped_column(String(200), default="")
    # How they heard of the network and who can vouch: names of third parties, so encrypted.
    referral: Mapped[str] = mapped_column(Encrypted("volunteer_profiles.referral"))
    conduct_agreed_at: Mapped[datetime] = mapped_column(default=utcnow)
    conduct_version: Mapped[str] = mapped_column(String(16), default="")
    orientation_at: Mapped[datetime | None]
    training_at: Mapped[datetime | None]
    offboarded_at: Mapped[datetime | None]
    # Secrets shown to the volunteer (so stored encrypted) and found by a keyed hash.
    vouch_code: Mapped[str] = mapped_column(Encrypted("volunteer_profiles.vouch_code"))
    vouch_code_index: Mapped[str] = blind_index_column("vouch_code", "vouch_code", unique=True)
    calendar_token: Mapped[str | None] = mapped_column(
        Encrypted("volunteer_profiles.calendar_token"))
    calendar_token_index: Mapped[str | None] = blind_index_column("calendar_token",
                                                                     "calendar_token", unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    # Willing to be texted to go and check a report of enforcement or danger in their areas.
    responder: Mapped[bool] = mapped_column(default=False, server_default=false())
    # Listed (phone, languages, areas) in the offline phone tree an admin downloads.
    phone_tree: Mapped[bool] = mapped_column(default=False, server_default=false())

    user: Mapped[User] = relationship()
    areas: Mapped[list[Area]] = relationship(secondary=volunteer_areas, order_by=Area.name)

    @property
    def language_list(self) -> list[str]:
        return [c for c in self.languages.split(",") if c]

    @property
    def skill_list(self) -> list[str]:
        return [c for c in self.skills.split(",") if c]

    @property
    def availability_list(self) -> list[str]:
        return [c for c in self.availability.split(",") if c]


class Vouch(Model):
    """A vetted member saying "I know this applicant and trust them"."""

    __tablename__ = "vouches"
    __table_args__ = (UniqueConstraint("applicant_id", "voucher_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    applicant_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                              index=True)
    voucher_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                            index=True)
    note: Mapped[str | None] = mapped_column(Encrypted("vouches.note"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    voucher: Mapped[User] = relationship(foreign_keys=[voucher_id])
