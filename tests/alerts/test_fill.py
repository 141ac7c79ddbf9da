"""Delivery rows written in chunks: approval writes the first chunk and sending starts on it
while the rest is written; a chunk is never written twice, everyone is reached once, and a
cancel or a correction still reaches exactly whom it should."""

from __future__ import annotations

import threading
from collections import Counter

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from aid.alerts import corrections, fanout, service
from aid.alerts.fanout import audience
from aid.alerts.models import Alert, AlertState, Delivery
from aid.extensions import db
from tests.alerts.support import add_subscribers, sent_alert

CHUNK = 7


@pytest.fixture
def chunked(app):
    app.config["ALERT_FILL_CHUNK"] = CHUNK
    app.config["ALERT_APPROVAL_THRESHOLD"] = 1000


def _rows(alert_id: int) -> list[int | None]:
    db.session.rollback()  # see other threads' commits
    return list(db.session.scalars(select(Delivery.subscriber_id).where(
        Delivery.alert_id == alert_id)))


def test_the_first_chunk_is_sendable_before_the_rest_is_written(app, twilio, coordinator,
                                                                chunked, monkeypatch):
    numbers = add_subscribers(30)
    app.config["ALERT_BATCH"] = CHUNK  # a job claims the whole first chunk in one batch
    monkeypatch.setattr(fanout, "enqueue", lambda alert_id: None)  # workers start later
    alert = sent_alert(coordinator)
    assert alert.status == AlertState.SENDING and alert.recipients == 30
    assert len(_rows(alert.id)) == CHUNK and fanout.is_filling(alert.id)
    assert not fanout.finish_if_done(alert.id)  # not sent while rows are still to be written

    # The job writes the next chunk only once it runs out of rows: by then texts of the
    # first chunk have reached Twilio.
    seen: dict[str, int] = {}
    real_fill = audience.fill_next

    def fill_next(alert_id: int, chunk: int) -> bool:
        if not seen:
            seen.update(texts=len(twilio.sent), rows=len(_rows(alert_id)))
        return real_fill(alert_id, chunk)

    monkeypatch.setattr(audience, "fill_next", fill_next)
    fanout.run(alert.id)
    assert seen["texts"] >= 1 and seen["rows"] == CHUNK
    to = Counter(form["To"] for form in twilio.sent)
    assert set(to) == set(numbers) and max(to.values()) == 1
    assert not fanout.is_filling(alert.id)
    assert db.session.get(Alert, alert.id).status == AlertState.SENT


def test_a_chunked_fill_reaches_everyone_exactly_once(app, twilio, coordinator, chunked):
    numbers = add_subscribers(30)
    alert = sent_alert(coordinator)
    db.session.refresh(alert)
    to = Counter(form["To"] for form in twilio.sent)
    assert set(to) == set(numbers) and max(to.values()) == 1
    assert alert.status == AlertState.SENT and alert.filled_to is None
    assert service.progress(alert).count("sent") == 30


def _fill_all(app, alert_id: int, errors: list[BaseException]) -> None:
    try:
        with app.app_context():
            while fanout.fill_next(alert_id, CHUNK):
                pass
    except BaseException as exc:  # noqa: BLE001 (reported by the test)
        errors.append(exc)


def test_two_jobs_filling_at_once_never_write_a_row_twice(app, coordinator, chunked,
                                                         monkeypatch):
    """On PostgreSQL the alert's row lock between two connections; on SQLite the write lock."""
    add_subscribers(100)
    monkeypatch.setattr(fanout, "enqueue", lambda alert_id: None)
    alert = sent_alert(coordinator)
    errors: list[BaseException] = []
    threads = [threading.Thread(target=_fill_all, args=(app, alert.id, errors))
               for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    rows = _rows(alert.id)
    assert len(rows) == len(set(rows)) == 100
    assert not fanout.is_filling(alert.id)


def test_the_database_refuses_a_second_row_for_one_recipient(app, coordinator, chunked,
                                                            monkeypatch):
    add_subscribers(3)
    monkeypatch.setattr(fanout, "enqueue", lambda alert_id: None)
    alert = sent_alert(coordinator)
    subscriber = _rows(alert.id)[0]
    db.session.add(Delivery(alert_id=alert.id, subscriber_id=subscriber, language="en"))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_cancel_while_filling_stops_the_unwritten_recipients_too(app, twilio, coordinator,
                                                                chunked, monkeypatch):
    add_subscribers(30)
    monkeypatch.setattr(fanout, "enqueue", lambda alert_id: None)
    alert = sent_alert(coordinator)
    assert service.cancel(alert, coordinator) == 30  # 7 rows written, 23 not yet
    assert not fanout.fill_next(alert.id, CHUNK)  # nothing more is written
    fanout.run(alert.id)
    assert twilio.sent == [] and len(_rows(alert.id)) == CHUNK
    assert db.session.get(Alert, alert.id).status == AlertState.CANCELLED


def test_a_chunked_correction_reaches_exactly_the_original_recipients(app, twilio, coordinator,
                                                                     chunked):
    numbers = add_subscribers(20)
    original = sent_alert(coordinator)
    newcomers = add_subscribers(5)  # subscribed after the alert
    twilio.reset()
    update = corrections.create(original, "update", {"en": "Vans left Oak St."}, coordinator)
    service.submit(update, coordinator)
    to = Counter(form["To"] for form in twilio.sent)
    assert set(to) == set(numbers) and max(to.values()) == 1
    assert not set(to) & set(newcomers)
    assert db.session.scalar(select(func.count()).select_from(Delivery).where(
        Delivery.alert_id == update.id)) == 20
