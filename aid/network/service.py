"""Network settings and areas: read by every feature, changed by admins."""

from __future__ import annotations

from flask import current_app, g
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from aid.extensions import db
from aid.network.models import (
    DEFAULT_CODE_OF_CONDUCT,
    DEFAULT_CODE_OF_CONDUCT_ES,
    Area,
    NetworkSettings,
)
from aid.security import audit
from aid.timeutil import zone_chosen_by

# Each language in its own words: for choosing one's language (the switcher, a form's
# language question), readable whatever the page's language.
LANGUAGE_NAMES = {"en": "English", "es": "Español"}
# In the reader's language: for naming a language inside a sentence or a list.
LANGUAGE_LABELS = {"en": _l("English"), "es": _l("Spanish")}


def current_settings() -> NetworkSettings:
    """The settings row, read once per request; defaults until an admin saves them."""
    if "aid_settings" not in g:
        row = db.session.get(NetworkSettings, 1)
        if row is None:
            row = NetworkSettings(
                id=1, network_name="Aid", hotline_number="",
                default_region=current_app.config["DEFAULT_PHONE_REGION"],
                languages=",".join(current_app.config["LANGUAGES"]),
                code_countries="", surge=False,
            )
            row.code_of_conduct = DEFAULT_CODE_OF_CONDUCT
            row.code_of_conduct_es, row.timezone = DEFAULT_CODE_OF_CONDUCT_ES, ""
            row.verifiers_needed, row.report_hours, row.merge_minutes = 1, 4, 60
        g.aid_settings = row
    return g.aid_settings


zone_chosen_by(lambda: current_settings().timezone)


def save_settings(**values: str | int | bool) -> NetworkSettings:
    row = db.session.get(NetworkSettings, 1)
    if row is None:
        row = current_settings()
        db.session.add(row)
    changed = sorted(k for k, v in values.items() if getattr(row, k) != v)
    for key, value in values.items():
        setattr(row, key, value)
    audit.record("settings.changed", "settings", 1, ", ".join(changed))
    db.session.commit()
    g.pop("aid_settings", None)
    return row


def active_areas() -> list[Area]:
    return list(db.session.scalars(select(Area).where(Area.active).order_by(Area.name)))


def all_areas() -> list[Area]:
    return list(db.session.scalars(select(Area).order_by(Area.active.desc(), Area.name)))


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
