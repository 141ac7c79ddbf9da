"""What the admin pages keep of their own: key rotation runs started from them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from aid.extensions import Model
from aid.timeutil import utcnow


class RotationRun(Model):
    """A key rotation started from the admin pages, run by the worker, resumable.

    `steps` is JSON: a list of [phase, table, done, total] in the order rotation walks them.
    No key is ever stored here: the keys stay in the environment.
    """

    __tablename__ = "rotation_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(12), default="queued", index=True)
    steps: Mapped[str] = mapped_column(Text, default="[]")
    heartbeat_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    attempts: Mapped[int] = mapped_column(default=0)
    detail: Mapped[str] = mapped_column(String(200), default="")
