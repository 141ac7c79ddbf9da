"""The kinds of activity a report can name: a list each network edits (checkpoint, home raid,
workplace, vehicle stop, courthouse, other to start with), and the agencies a reporter can
pick from."""

from __future__ import annotations

import re

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from aid.alerts.models import ReportKind
from aid.errors import Invalid
from aid.extensions import db
from aid.security import audit
from aid.sms.subscriptions import TOPICS

DEFAULT_KINDS = (
    ("checkpoint", "Checkpoint", "Retén"),
    ("home_raid", "Home raid", "Redada en una casa"),
    ("workplace", "Workplace raid", "Redada en un lugar de trabajo"),
    ("vehicle_stop", "Vehicle stop", "Parada de vehículo"),
    ("courthouse", "At a courthouse", "En un juzgado"),
    ("other", "Other", "Otro"),
)
AGENCIES = {"ice": _l("ICE"), "cbp": _l("CBP or Border Patrol"), "police": _l("Local police"),
            "sheriff": _l("Sheriff"), "other": _l("Another agency"), "": _l("Not sure")}
SMS_AGENCIES = ("ice", "cbp", "police", "sheriff", "other", "")  # the numbers 1 to 6


def ensure_defaults() -> None:
    """A new network starts with the usual kinds (the migration adds them too)."""
    if db.session.scalar(select(ReportKind.id).limit(1)) is not None:
        return
    for position, (code, name, name_es) in enumerate(DEFAULT_KINDS):
        db.session.add(ReportKind(code=code, name=name, name_es=name_es, position=position,
                                  topic="enforcement", active=True))
    try:
        db.session.commit()
    except IntegrityError:  # another request added them a moment ago
        db.session.rollback()


def all_kinds() -> list[ReportKind]:
    ensure_defaults()
    return list(db.session.scalars(select(ReportKind).order_by(ReportKind.position,
                                                               ReportKind.id)))


def active_kinds() -> list[ReportKind]:
    return [k for k in all_kinds() if k.active]


def _locale() -> str:
    return str(get_locale() or "en")


def choices() -> list[tuple[str, str]]:
    locale = _locale()
    return [(k.code, k.label(locale)) for k in active_kinds()]


def labels(locale: str | None = None) -> dict[str, str]:
    """Every kind's name (retired ones too: old reports still name them)."""
    locale = locale or _locale()
    return {k.code: k.label(locale) for k in all_kinds()}


def topic_of(code: str) -> str:
    kind = db.session.scalar(select(ReportKind).where(ReportKind.code == code))
    return kind.topic if kind is not None and kind.topic in TOPICS else "enforcement"


def add_kind(name: str, name_es: str, topic: str) -> ReportKind:
    name, name_es = " ".join(name.split())[:60], " ".join(name_es.split())[:60]
    code = re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")[:24] or "kind"
    if db.session.scalar(select(ReportKind.id).where(
            (ReportKind.code == code) | (func.lower(ReportKind.name) == name.lower()))):
        raise Invalid("kind exists", message=_l("There is already a kind with this name."))
    last = db.session.scalar(select(func.max(ReportKind.position))) or 0
    kind = ReportKind(code=code, name=name, name_es=name_es, active=True, position=last + 1,
                      topic=topic if topic in TOPICS else "enforcement")
    db.session.add(kind)
    db.session.flush()
    audit.record("report_kind.created", "report_kind", kind.id)
    db.session.commit()
    return kind


def toggle_kind(kind_id: int) -> None:
    kind = db.session.get(ReportKind, kind_id)
    if kind is None:
        raise Invalid("no such kind")
    # Retired, never deleted: old reports still name it.
    kind.active = not kind.active
    audit.record("report_kind.changed", "report_kind", kind.id,
                 "active" if kind.active else "retired")
    db.session.commit()
