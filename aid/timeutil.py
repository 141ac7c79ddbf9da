"""Times are stored as naive UTC everywhere (the same on SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _zone() -> ZoneInfo:
    from flask import current_app

    return ZoneInfo(current_app.config.get("TIMEZONE") or "UTC")


def to_local(stored: datetime) -> datetime:
    """A stored naive-UTC time as the network's local wall-clock time (naive)."""
    return stored.replace(tzinfo=UTC).astimezone(_zone()).replace(tzinfo=None)


def from_local(local: datetime) -> datetime:
    """A wall-clock time typed in the network's zone, as naive UTC for storage."""
    return local.replace(tzinfo=_zone()).astimezone(UTC).replace(tzinfo=None)


def weekday(moment: datetime, width: str = "abbreviated") -> str:
    """The day's name in the reader's language ("mar.", "Tuesday"): strftime("%a") would
    follow the server process's locale, English whatever the page's language."""
    from babel.dates import format_date
    from flask_babel import get_locale

    return format_date(moment.date(), "EEEE" if width == "wide" else "EEE",
                       locale=get_locale() or "en")
