"""Where copies of the offline phone tree went: the emergency erase cannot reach them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from aid.extensions import Model
from aid.timeutil import utcnow


class PhoneTreeCopy(Model):
    """One download of the phone tree: when, by whom, how many people, which format."""

    __tablename__ = "phone_tree_copies"

    id: Mapped[int] = mapped_column(primary_key=True)
    made_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    made_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    people: Mapped[int] = mapped_column(default=0)
    fmt: Mapped[str] = mapped_column(String(8), default="html")


class PhoneTreeSettings(Model):
    """One row: the hotline procedures printed in the phone tree (how to run without Aid)."""

    __tablename__ = "phone_tree_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    procedures: Mapped[str] = mapped_column(Text, default="")
