"""Single use, enforced by the database: a one-time value is spent by a conditional UPDATE
(or DELETE) whose row count says whether *this* request spent it. Check-then-write in Python
lets several parallel requests all see "unused" and all succeed; the database lets only one.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, delete, update

from aid.extensions import db


def claim(model: Any, row_id: int, condition: ColumnElement[bool], **values: Any) -> bool:
    """Set `values` on row `row_id` only while `condition` still holds; True if this call did.

    The caller commits (or rolls back) afterwards, as with any other change.
    """
    result = db.session.execute(
        update(model).where(model.id == row_id, condition).values(**values)
        .execution_options(synchronize_session=False))
    claimed = bool(result.rowcount == 1)  # type: ignore[attr-defined]
    return claimed


def consume(model: Any, row_id: int) -> bool:
    """Delete row `row_id`; True only for the one call that actually deleted it."""
    result = db.session.execute(
        delete(model).where(model.id == row_id).execution_options(synchronize_session=False))
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]
