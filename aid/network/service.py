"""Network settings and areas: read by every feature, changed by admins."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from aid.extensions import db
from aid.labels import Labels
from aid.network.models import (
    COLUMNS,
    DEFAULT_CODE_OF_CONDUCT,
    DEFAULT_CODE_OF_CONDUCT_ES,
    Area,
    NetworkSettings,
    SettingsReading,
)
from aid.security import audit
from aid.snapshots import kept
from aid.timeutil import zone_chosen_by

# Each language in its own words: for choosing one's language (the switcher, a form's
# language question), readable whatever the page's language.
LANGUAGE_NAMES = {"en": "English", "es": "Español"}
# In the reader's language: for naming a language inside a sentence or a list.
LANGUAGE_LABELS = Labels({"en": _l("English"), "es": _l("Spanish")})


@dataclass(frozen=True, slots=True)
class SettingsSnapshot(SettingsReading):
    """The settings as they were read: a frozen copy every request of the process shares
    (`aid.snapshots`). A change goes through `save_settings`. One field per column (a
    column without its field fails on the first page)."""

    id: int
    network_name: str
    hotline_number: str
    default_region: str
    languages: str
    code_of_conduct: str
    code_countries: str
    surge: bool
    code_of_conduct_es: str
    timezone: str
    verifiers_needed: int
    report_hours: int
    merge_minutes: int

    @classmethod
    def of(cls, row: NetworkSettings) -> SettingsSnapshot:
        return cls(**{name: getattr(row, name) for name in COLUMNS})


def _default_row() -> NetworkSettings:
    row = NetworkSettings(
        id=1, network_name="Aid", hotline_number="",
        default_region=current_app.config["DEFAULT_PHONE_REGION"],
        languages=",".join(current_app.config["LANGUAGES"]),
        code_countries="", surge=False,
    )
    row.code_of_conduct = DEFAULT_CODE_OF_CONDUCT
    row.code_of_conduct_es, row.timezone = DEFAULT_CODE_OF_CONDUCT_ES, ""
    row.verifiers_needed, row.report_hours, row.merge_minutes = 1, 4, 60
    return row


@kept("settings", "network_settings")
def current_settings() -> SettingsSnapshot:
    """The network's settings; defaults until an admin saves them."""
    return SettingsSnapshot.of(db.session.get(NetworkSettings, 1) or _default_row())


zone_chosen_by(lambda: current_settings().timezone)


def save_settings(**values: str | int | bool) -> NetworkSettings:
    row = db.session.get(NetworkSettings, 1)
    if row is None:
        row = _default_row()
        db.session.add(row)
    changed = sorted(k for k, v in values.items() if getattr(row, k) != v)
    for key, value in values.items():
        setattr(row, key, value)
    audit.record("settings.changed", "settings", 1, ", ".join(changed))
    db.session.commit()
    return row


@dataclass(frozen=True, slots=True)
class AreaSnapshot:
    id: int
    name: str
    active: bool


@kept("areas", "areas")
def all_areas() -> tuple[AreaSnapshot, ...]:
    """Every area, active ones first, each group by name (retired areas label old records)."""
    return tuple(AreaSnapshot(*row) for row in db.session.execute(
        select(Area.id, Area.name, Area.active).order_by(Area.active.desc(), Area.name)))


def active_areas() -> list[AreaSnapshot]:
    return [area for area in all_areas() if area.active]


def area_names() -> dict[int, str]:
    """Every area's name by id, retired ones too (they still label old posts and requests)."""
    return {area.id: area.name for area in all_areas()}


def add_area(name: str) -> Area:
    name = " ".join(name.split())
    exists = db.session.scalar(select(Area).where(func.lower(Area.name) == name.lower()))
    if exists:
        raise ValueError("exists")
    area = Area(name=name)
    db.session.add(area)
    db.session.flush()
    audit.record("area.created", "area", area.id)
    db.session.commit()
    return area


def toggle_area(area: Area) -> None:
    # Areas are retired, not deleted: old requests and posts still point at them.
    area.active = not area.active
    audit.record("area.changed", "area", area.id, "active" if area.active else "retired")
    db.session.commit()
