"""Retention settings: how many days each kind of record is kept, as an admin set them.

The bottom floor of privacy: features read `retention_days` when they set a purge date, and
import nothing else of privacy for it.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from flask import current_app
from sqlalchemy import select

from aid.extensions import db
from aid.privacy.models import RETENTION_DEFAULTS, RetentionSettings
from aid.security import audit
from aid.snapshots import kept


def _starting_values() -> dict[str, int]:
    # The environment's older settings, when set, are the starting values.
    return {**RETENTION_DEFAULTS,
            "requests": current_app.config.get("RETENTION_RESOLVED_DAYS", 90),
            "board_posts": current_app.config.get("BOARD_RETENTION_DAYS", 30),
            "reports": current_app.config.get("REPORT_RETENTION_DAYS", 90)}


def current_retention() -> RetentionSettings:
    """The row itself, made with the starting values on first use (commits then): for the
    page that shows and saves it."""
    row = db.session.scalar(select(RetentionSettings).limit(1))
    if row is None:
        row = RetentionSettings(**_starting_values())
        db.session.add(row)
        db.session.commit()
    return row


@kept("retention", "retention_settings")
def _periods() -> Mapping[str, int]:
    # Read without writing: features ask while their own change is still uncommitted.
    row = db.session.scalar(select(RetentionSettings).limit(1))
    if row is None:
        return MappingProxyType(_starting_values())
    return MappingProxyType({kind: int(getattr(row, kind)) for kind in RETENTION_DEFAULTS})


def retention_days(kind: str) -> int:
    """Days a kind of record is kept; read by the features when they set a purge date."""
    return _periods()[kind]


def save_retention(values: dict[str, int]) -> None:
    row = current_retention()
    changed = [k for k in RETENTION_DEFAULTS if k in values and getattr(row, k) != values[k]]
    for kind in changed:
        setattr(row, kind, int(values[kind]))
    if changed:
        audit.record("retention.changed", None, None,
                     ", ".join(f"{k} {values[k]}d" for k in changed))
    db.session.commit()
