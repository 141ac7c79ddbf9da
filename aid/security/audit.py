"""An append-only record of who looked at or changed what, without the personal data itself.

`detail` is for non-personal facts only ("role coordinator -> admin", "status vetted"); never
put a name, phone number, email or free text there.
"""

from __future__ import annotations

from datetime import datetime

from flask import has_request_context
from flask_login import current_user
from sqlalchemy import ForeignKey, Index, String, event
from sqlalchemy.orm import Mapped, mapped_column

from aid.extensions import Model, db
from aid.timeutil import utcnow


class AuditEvent(Model):
    __tablename__ = "audit_events"
    __table_args__ = (
        # The log filtered by an action's first letters, and "has X happened since": a range
        # of this index holds exactly the matching entries, at any size of the log. On
        # PostgreSQL the action is compared byte by byte (varchar_pattern_ops), as a prefix
        # is, whatever the database's collation.
        Index("ix_audit_events_action_order", "action", "at", "id",
              postgresql_ops={"action": "varchar_pattern_ops"}),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    action: Mapped[str] = mapped_column(String(64))
    target_type: Mapped[str | None] = mapped_column(String(32))
    target_id: Mapped[int | None] = mapped_column(index=True)
    detail: Mapped[str] = mapped_column(String(200), default="")


@event.listens_for(AuditEvent, "before_update")
def _refuse_update(*_args: object) -> None:
    raise RuntimeError("audit events are append-only")


def record(
    action: str,
    target_type: str | None = None,
    target_id: int | None = None,
    detail: str = "",
    actor_id: int | None = None,
) -> AuditEvent:
    """Add an audit row to the current transaction (it commits with the change it describes)."""
    if actor_id is None and has_request_context() and current_user.is_authenticated:
        actor_id = current_user.id
    entry = AuditEvent(
        action=action, target_type=target_type, target_id=target_id,
        detail=detail[:200], actor_id=actor_id,
    )
    db.session.add(entry)
    return entry


def viewed(target_type: str, target_id: int, detail: str = "") -> None:
    """Record that a sensitive record was shown, and commit at once (a GET changes nothing else)."""
    record(f"{target_type}.viewed", target_type, target_id, detail)
    db.session.commit()
