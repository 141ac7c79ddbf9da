"""Alert subscribers: double opt-in on the web (a code sent by SMS), JOIN by text, changes and
leaving, and the audience query the alerts feature fans out to.

Codes are six digits, stored as a keyed hash, valid `CODE_TTL`, `MAX_ATTEMPTS` tries each, and
at most `MAX_CODES_PER_HOUR` sent to one number (so the form cannot be used to flood a phone).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from datetime import timedelta

from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, Select, exists, or_, select

from aid.extensions import db
from aid.network.models import Area
from aid.network.service import AreaSnapshot, active_areas, current_settings
from aid.phones import phone_index
from aid.security import audit, codes
from aid.security.codes import CodeCheck
from aid.sms import service
from aid.sms.gateway import queue_sms
from aid.sms.models import (
    Subscriber,
    SubscriberState,
    SubscriberTopic,
    Suppression,
    VerificationCode,
)
from aid.sms.words import words_of
from aid.timeutil import utcnow

TOPICS = {
    "enforcement": _l("Immigration enforcement activity"),
    "police": _l("Police activity"),
    "safety": _l("Safety warnings (fire, flood, threats)"),
    "community": _l("Community news and meetings"),
}
CODE_TTL = timedelta(minutes=10)
MAX_ATTEMPTS = 5
MAX_CODES_PER_HOUR = 3


@dataclass
class Choices:
    """What a subscriber picked. No areas means the whole network."""

    area_ids: list[int] = field(default_factory=list)
    topics: list[str] = field(default_factory=lambda: list(TOPICS))
    language: str = "en"

    def to_json(self) -> str:
        return json.dumps(asdict(self), separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> Choices:
        data = json.loads(text or "{}")
        return cls(area_ids=[int(a) for a in data.get("area_ids", [])],
                   topics=[t for t in data.get("topics", []) if t in TOPICS],
                   language=str(data.get("language", "en")))


def find_subscriber(e164: str) -> Subscriber | None:
    return db.session.scalar(select(Subscriber).where(
        Subscriber.phone_index == phone_index(e164)))


def code_rules() -> codes.CodeRules:
    return codes.CodeRules(ttl=CODE_TTL, max_attempts=MAX_ATTEMPTS,
                           per_number_hour=MAX_CODES_PER_HOUR)


def send_code(e164: str, purpose: str, text: Callable[[str], str], extra: str = "",
              language: str = "en") -> int | None:
    """Text a one-time code for `purpose` to `e164` (every texted code goes through here);
    returns the code row's id, or None when a limit (country, number, budget) said no."""
    def deliver(code: str) -> None:
        with force_locale(language):
            body = text(code)
        queue_sms(e164, body, purpose="verification",
                  validity_period=int(CODE_TTL.total_seconds()))

    return codes.send(VerificationCode, e164, phone_index(e164) or "", purpose,
                      regions=current_settings().code_country_list, rules=code_rules(),
                      deliver=deliver, extra=extra)


def start_verification(e164: str, purpose: str, choices: Choices | None = None) -> int | None:
    """Text a code to `e164` for `purpose` ("subscribe" or "manage"); returns the code's id.

    Returns None (and sends nothing) when a limit says no, or for "manage" when it is not an
    active subscriber. Callers show the same page either way, so the form does not tell a
    stranger whether a number is subscribed.
    """
    sub = find_subscriber(e164)
    if purpose == "manage" and (sub is None or sub.status != SubscriberState.ACTIVE):
        return None
    language = choices.language if choices else (sub.language if sub else "en")
    network = current_settings().network_name
    return send_code(e164, purpose, lambda code: _(
        "%(network)s code: %(code)s. It expires in 10 minutes. If you did not ask for "
        "it, ignore this text.", network=network, code=code),
        extra=choices.to_json() if choices else "", language=language)


def check_code(code_id: int | None, purpose: str, code: str) -> tuple[CodeCheck,
                                                                       VerificationCode | None]:
    """Check a typed code; each try counts, even a right one after the limit. Commits."""
    return codes.check(VerificationCode, code_id, purpose, code, code_rules())


def _apply(sub: Subscriber, choices: Choices) -> None:
    sub.areas = list(db.session.scalars(
        select(Area).where(Area.active, Area.id.in_(set(choices.area_ids))).order_by(Area.name)))
    wanted = [t for t in choices.topics if t in TOPICS] or list(TOPICS)
    sub.topic_rows = [SubscriberTopic(topic=t) for t in sorted(set(wanted))]
    sub.language = choices.language if choices.language in {"en", "es"} else "en"


def subscribe(e164: str, choices: Choices, source: str) -> Subscriber:
    """Make `e164` an active subscriber with `choices` (the person proved the phone is theirs:
    a confirmed code, or a JOIN texted from it). An opt-in lifts an earlier STOP. Commits."""
    service.lift_suppression(e164, source)
    sub = find_subscriber(e164)
    if sub is None:
        sub = Subscriber(phone=e164, phone_index=phone_index(e164), source=source)
        db.session.add(sub)
    _apply(sub, choices)
    sub.status, sub.confirmed_at, sub.stopped_at = SubscriberState.ACTIVE, utcnow(), None
    db.session.flush()
    audit.record("subscriber.subscribed", "subscriber", sub.id, source)
    db.session.commit()
    return sub


def update_choices(sub: Subscriber, choices: Choices) -> None:
    _apply(sub, choices)
    audit.record("subscriber.changed", "subscriber", sub.id)
    db.session.commit()


def leave(sub: Subscriber) -> None:
    """Stop alerts (from the web). Other texts, e.g. hotline replies, still reach the phone;
    STOP by text is what blocks everything."""
    sub.status, sub.stopped_at = SubscriberState.STOPPED, utcnow()
    audit.record("subscriber.left", "subscriber", sub.id)
    db.session.commit()


def area_names(sub: Subscriber) -> str:
    return ", ".join(a.name for a in sub.areas)


def welcome_text(sub: Subscriber) -> str:
    network = current_settings().network_name
    with force_locale(sub.language):
        if sub.areas:
            return _("%(network)s: you will get alerts for %(areas)s. Text STOP to stop.",
                     network=network, areas=area_names(sub))
        return _("%(network)s: you will get alerts for all areas. Text STOP to stop.",
                 network=network)


def match_area(words: Iterable[str]) -> AreaSnapshot | None:
    """The active area whose name is these words ("old town" -> Old Town)."""
    wanted = tuple(words)
    return next((a for a in active_areas() if words_of(a.name) == wanted), None)


def reachable() -> ColumnElement[bool]:
    """Who may be sent an alert now: an active subscriber whose number is not on the
    suppression list. The alert fan-out asks it when it picks the audience and again, for each
    batch, right before the batch goes out."""
    return (Subscriber.status == SubscriberState.ACTIVE) & ~exists().where(
        Suppression.phone_index == Subscriber.phone_index)


def audience(area_ids: Iterable[int] | None,
             topic: str | Iterable[str]) -> Select[tuple[Subscriber]]:
    """Reachable subscribers who want `topic` (or any of several) in any of `area_ids` (None:
    network-wide alert).

    A subscriber with no areas gets every area's alerts. Ordered by id, for batching.
    """
    topics = [topic] if isinstance(topic, str) else list(topic)
    query = select(Subscriber).where(
        reachable(), Subscriber.topic_rows.any(SubscriberTopic.topic.in_(topics)))
    ids = list(area_ids or [])
    if ids:
        query = query.where(or_(~Subscriber.areas.any(), Subscriber.areas.any(Area.id.in_(ids))))
    return query.order_by(Subscriber.id)


def confirm_from_code(row: VerificationCode) -> Subscriber:
    """The web sign-up's code was right: subscribe with the choices made then, and text a
    welcome that says how to stop."""
    sub = subscribe(row.phone, Choices.from_json(row.choices), "web")
    queue_sms(sub.phone, welcome_text(sub), purpose="subscription")
    return sub
