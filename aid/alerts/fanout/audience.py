"""Who gets an alert: the subscribers it targets (areas, topics), or for an update or a
retraction the people who got the original, and in which language. Approval turns the
audience into delivery rows with one `INSERT ... SELECT` (nothing is loaded into Python, so
10,000 or 100,000 recipients cost the same memory)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Integer, Select, String, case, func, literal, select

from aid.alerts.models import Alert, Delivery, DeliveryState
from aid.extensions import db
from aid.sms.models import Subscriber
from aid.sms.subscriptions import audience, reachable


def _recipients(area_ids: list[int], topics: list[str]) -> Select[Any]:
    """Reachable subscribers for these areas and topics."""
    return audience(area_ids or None, topics)


def _language(languages: list[str]) -> Any:
    """The subscriber's language if the alert has a body in it, else the alert's first."""
    return case((Subscriber.language.in_(languages), Subscriber.language),
                else_=literal(languages[0], String))


def counts_by_language(area_ids: list[int], topics: list[str],
                       languages: list[str]) -> dict[str, int]:
    """Exact recipients per body language, as the fan-out would create them."""
    if not topics or not languages:
        return {}
    lang = _language(languages).label("lang")
    query = _recipients(area_ids, topics).with_only_columns(lang, func.count()).group_by(
        lang).order_by(None)
    found = {row[0]: row[1] for row in db.session.execute(query)}
    return {code: found.get(code, 0) for code in languages}


def _original_recipients(original_id: int) -> Select[Any]:
    """Who received the original alert (its deliveries that were sent) and is still
    subscribed and not suppressed: an update or retraction goes to them and no one else."""
    return (select(Subscriber.id)
            .join(Delivery, Delivery.subscriber_id == Subscriber.id)
            .where(Delivery.alert_id == original_id, Delivery.status == DeliveryState.SENT,
                   reachable()))


def _reply_language(languages: list[str]) -> Any:
    """The language the person got the original in, if the correction has a text in it."""
    return case((Delivery.language.in_(languages), Delivery.language),
                else_=literal(languages[0], String))


def correction_counts(original_id: int, languages: list[str]) -> dict[str, int]:
    if not languages:
        return {}
    lang = _reply_language(languages).label("lang")
    query = _original_recipients(original_id).with_only_columns(lang, func.count()).group_by(
        lang)
    found = {row[0]: row[1] for row in db.session.execute(query)}
    return {code: found.get(code, 0) for code in languages}


def create_deliveries(alert: Alert) -> int:
    """Insert one pending row per recipient (no commit: the caller's transaction also moves
    the alert to `sending`). Returns how many."""
    languages = [b.language for b in alert.bodies]
    if alert.in_reply_to_id:
        query = _original_recipients(alert.in_reply_to_id).with_only_columns(
            literal(alert.id, Integer), Subscriber.id, _reply_language(languages),
            literal(DeliveryState.PENDING.value, String))
    else:
        query = _recipients([a.id for a in alert.areas], alert.topic_list).with_only_columns(
            literal(alert.id, Integer), Subscriber.id, _language(languages),
            literal(DeliveryState.PENDING.value, String))
    db.session.execute(Delivery.__table__.insert().from_select(
        ["alert_id", "subscriber_id", "language", "status"], query))
    return db.session.scalar(select(func.count(Delivery.id)).where(
        Delivery.alert_id == alert.id)) or 0
