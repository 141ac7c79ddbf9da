from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Mapped, mapped_column

from aid.extensions import Model


class WorkerBeat(Model):
    """One row, touched every minute by the background worker."""

    __tablename__ = "worker_beats"

    id: Mapped[int] = mapped_column(primary_key=True)
    last_seen: Mapped[datetime]
