"""Who gets an alert: the subscribers it targets (areas, topics), or for an update or a
retraction the people who got the original, and in which language. The audience becomes
delivery rows with `INSERT ... SELECT` (nothing is loaded into Python, so 10,000 or 100,000
recipients cost the same memory), in chunks by subscriber id: approval writes the first, so
the first text goes out at once however large the audience, and the sending jobs write the
next whenever they run out (`fill_next`, after the `filled_to` watermark)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Integer, Select, String, case, func, literal, select, update

from aid.alerts.models import Alert, AlertState, Delivery, DeliveryState
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


def _rows(alert: Alert) -> Select[Any]:
    """The delivery rows' values (alert, subscriber, language, state), one per recipient."""
    languages = [b.language for b in alert.bodies]
    if alert.in_reply_to_id:
        return _original_recipients(alert.in_reply_to_id).with_only_columns(
            literal(alert.id, Integer), Subscriber.id, _reply_language(languages),
            literal(DeliveryState.PENDING.value, String))
    return _recipients([a.id for a in alert.areas], alert.topic_list).with_only_columns(
        literal(alert.id, Integer), Subscriber.id, _language(languages),
        literal(DeliveryState.PENDING.value, String)).order_by(None)


def count_recipients(alert: Alert) -> int:
    """How many delivery rows the alert will have, counted before any is written."""
    query = _rows(alert).with_only_columns(func.count()).order_by(None)
    return db.session.scalar(query) or 0


def _fill(alert: Alert, after: int, chunk: int) -> int | None:
    """Write the rows of the next `chunk` recipients by subscriber id above `after`. Returns
    the new watermark, None once there is nobody left. No commit."""
    ids = _rows(alert).with_only_columns(Subscriber.id).where(Subscriber.id > after) \
        .order_by(Subscriber.id).limit(chunk).subquery()
    upto = db.session.scalar(select(func.max(ids.c.id)))
    if upto is None:
        return None
    db.session.execute(Delivery.__table__.insert().from_select(
        ["alert_id", "subscriber_id", "language", "status"],
        _rows(alert).where(Subscriber.id > after, Subscriber.id <= upto)))
    return int(upto)


def start_deliveries(alert: Alert, chunk: int) -> None:
    """The first chunk of rows, in the caller's transaction (the one that moves the alert to
    `sending`): sending starts on them while `fill_next` writes the rest. No commit."""
    upto = _fill(alert, 0, chunk)
    db.session.execute(update(Alert).where(Alert.id == alert.id).values(filled_to=upto)
                       .execution_options(synchronize_session=False))


def fill_next(alert_id: int, chunk: int) -> bool:
    """Write the next chunk of a sending alert's rows. Returns False when there was nothing
    left to write (every row exists, or the alert stopped). Commits.

    Any job may call it (the one that ran out of pending rows first): the alert's row is
    locked first (PostgreSQL's row lock, SQLite's write lock), so fills run one at a time
    and each starts from the watermark the last one committed; the unique (alert,
    subscriber) key would refuse a row written twice."""
    db.session.commit()
    after = db.session.scalar(
        update(Alert).where(Alert.id == alert_id, Alert.status == AlertState.SENDING,
                            Alert.filled_to.is_not(None))
        .values(filled_to=Alert.filled_to).returning(Alert.filled_to)
        .execution_options(synchronize_session=False))
    if after is None:
        db.session.commit()
        return False
    alert = db.session.get(Alert, alert_id, populate_existing=True)
    assert alert is not None
    upto = _fill(alert, after, chunk)
    db.session.execute(update(Alert).where(Alert.id == alert_id).values(filled_to=upto)
                       .execution_options(synchronize_session=False))
    db.session.commit()
    return upto is not None


def is_filling(alert_id: int) -> bool:
    return db.session.scalar(select(Alert.filled_to).where(Alert.id == alert_id)) is not None


def create_deliveries(alert: Alert) -> int:
    """Every row at once (no commit): the caller's transaction also moves the alert to
    `sending`. Returns how many."""
    db.session.execute(Delivery.__table__.insert().from_select(
        ["alert_id", "subscriber_id", "language", "status"], _rows(alert)))
    return db.session.scalar(select(func.count(Delivery.id)).where(
        Delivery.alert_id == alert.id)) or 0
