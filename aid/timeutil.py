"""Times are stored as naive UTC everywhere (the same on SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from babel.dates import format_date
from flask import current_app, has_app_context
from flask_babel import format_datetime, get_locale

# Where the network's chosen zone comes from: the admin settings register it (this module
# sits below every feature, so it asks through this hook instead of importing them).
_chosen_zone: list[Callable[[], str]] = []


def zone_chosen_by(fn: Callable[[], str]) -> None:
    """Register where the network's chosen time zone is read ("" for none chosen)."""
    _chosen_zone[:] = [fn]


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def zone_name() -> str:
    """The network's time zone: set in /admin/settings, else AID_TIMEZONE, else UTC."""
    chosen = _chosen_zone[0]() if has_app_context() and _chosen_zone else ""
    return chosen or current_app.config.get("TIMEZONE") or "UTC"


def _zone() -> ZoneInfo:
    return ZoneInfo(zone_name())


def shown(stored: datetime | None, what: str = "when") -> str:
    """A stored naive-UTC time as people read it: in their language and the network's zone.
    `what` is "when" (day and time), "day" or "clock"."""
    if stored is None:
        return ""
    return format_datetime(stored, SHOWN_PATTERNS[what])


# Day names and months in the reader's language, day before month (never 12/02 vs 02/12).
SHOWN_PATTERNS = {"when": "EEE d MMM y, HH:mm", "day": "d MMM y", "clock": "HH:mm"}


def to_local(stored: datetime) -> datetime:
    """A stored naive-UTC time as the network's local wall-clock time (naive)."""
    return stored.replace(tzinfo=UTC).astimezone(_zone()).replace(tzinfo=None)


def from_local(local: datetime) -> datetime:
    """A wall-clock time typed in the network's zone, as naive UTC for storage."""
    return local.replace(tzinfo=_zone()).astimezone(UTC).replace(tzinfo=None)


def weekday(moment: datetime, width: str = "abbreviated") -> str:
    """The day's name in the reader's language ("mar.", "Tuesday"): strftime("%a") would
    follow the server process's locale, English whatever the page's language."""
    return format_date(moment.date(), "EEEE" if width == "wide" else "EEE",
                       locale=get_locale() or "en")
