"""The fan-out: exactly once, opt-outs, cancel in flight, claims that never overlap, and a
killed worker that delays but never drops."""

from __future__ import annotations

import threading
import time
from collections import Counter
from datetime import timedelta

from sqlalchemy import select, update

from aid.alerts import fanout, service
from aid.alerts.models import AlertState, Delivery, DeliveryState
from aid.extensions import db
from aid.sms import service as sms
from aid.sms.gateway import send_sms
from aid.sms.subscriptions import find_subscriber, leave
from tests.alerts.support import add_subscribers, draft, sent_alert


def test_three_hundred_subscribers_each_get_the_alert_exactly_once(app, twilio, coordinator,
                                                                   make_user):
    numbers = add_subscribers(300)
    alert = sent_alert(coordinator, make_user("coordinator", "vetted"))
    db.session.refresh(alert)
    to = Counter(form["To"] for form in twilio.sent)
    assert set(to) == set(numbers) and max(to.values()) == 1
    assert alert.status == AlertState.SENT and alert.recipients == 300
    progress = service.progress(alert)
    assert progress.percent == 100 and progress.count("sent") == 300


def test_alert_texts_are_time_limited_and_carry_the_link(app, twilio, coordinator):
    add_subscribers(2)
    sent_alert(coordinator, link="https://aid.example.org/a/1")
    for form in twilio.sent:
        assert 3500 <= int(form["ValidityPeriod"]) <= 3600  # AID_ALERT_VALIDITY_SECONDS
        # The link on its own line, then who sent it and how to stop them.
        assert form["Body"].endswith("\nhttps://aid.example.org/a/1\nAid: STOP to stop")


def test_targeting_by_area_topic_and_language(app, twilio, coordinator, areas):
    east = add_subscribers(2, "en", [areas["Eastside"]])
    river = add_subscribers(2, "en", [areas["Riverside"]])
    everywhere = add_subscribers(1, "es")
    police_only = add_subscribers(1, "en", topics=("police",))
    sent_alert(coordinator, area_ids=[areas["Eastside"]],
               bodies={"en": "Checkpoint on Oak St.", "es": "Retén en la calle Oak."})
    got = {form["To"]: form["Body"] for form in twilio.sent}
    assert set(got) == set(east) | set(everywhere)
    assert not set(got) & (set(river) | set(police_only))
    assert got[everywhere[0]] == "Retén en la calle Oak.\nAid: BAJA para dejarlas"
    assert got[east[0]] == "Checkpoint on Oak St.\nAid: STOP to stop"


def test_a_language_without_a_text_gets_the_first_languages_text(app, twilio, coordinator):
    [spanish] = add_subscribers(1, "es")
    sent_alert(coordinator)  # English only
    assert twilio.sent[0]["To"] == spanish and twilio.sent[0]["Body"].startswith("ICE vans")


def test_opted_out_numbers_get_nothing_whenever_they_left(app, twilio, coordinator,
                                                         monkeypatch):
    early, late_stop, late_leave, stays = add_subscribers(4)
    sms.suppress(early, "keyword")  # STOP before the alert: no delivery row at all
    monkeypatch.setattr(fanout, "enqueue", lambda alert_id: None)  # workers start later
    alert = sent_alert(coordinator)
    assert alert.recipients == 3
    sms.suppress(late_stop, "keyword")  # STOP while the alert waits in the queue
    leave(find_subscriber(late_leave))  # left on the web while it waits
    fanout.run(alert.id)
    assert [form["To"] for form in twilio.sent] == [stays]
    assert service.progress(alert).count("skipped") == 2


def test_cancel_in_flight_stops_what_has_not_gone_out(aid_test, app, client, twilio, coordinator,
                                                      monkeypatch):

    add_subscribers(30)
    monkeypatch.setattr(fanout, "enqueue", lambda alert_id: None)
    alert = sent_alert(coordinator)
    aid_test.sign_in(client, coordinator)
    in_flight = app.config["ALERT_CONCURRENCY"]
    # Twilio answers 8 texts, then holds the next ones: every send thread is mid-send when
    # the coordinator presses stop.
    twilio.hold(after=8)
    worker = threading.Thread(target=_run_in_context, args=(app, alert.id))
    worker.start()
    try:
        twilio.wait_until_held(in_flight)
        page = aid_test.post_form(client, f"/coordinator/alerts/{alert.id}/cancel", {},
                                  follow_redirects=True).get_data(as_text=True)
        gone_at_cancel = len(twilio.sent)
    finally:
        twilio.release()
        worker.join()
    assert f"Cancelled. {30 - 8} texts will not go out." in page
    assert gone_at_cancel == 8 + in_flight
    # What was in flight when the coordinator pressed stop lands; nothing else goes out.
    assert len(twilio.sent) == gone_at_cancel < 30
    db.session.refresh(alert)
    assert alert.status == AlertState.CANCELLED
    progress = service.progress(alert)
    assert progress.count("sent") == len(twilio.sent)
    assert progress.count("skipped") == 30 - len(twilio.sent)


def _run_in_context(app, alert_id: int) -> None:
    with app.app_context():
        fanout.run(alert_id)


def _claim_all(app, alert_id: int, token: str, out: list[int], errors: list[BaseException]):
    try:
        with app.app_context():
            n = 0
            while ids := fanout.claim(alert_id, 7, f"{token}-{n}"):
                out.extend(ids)
                n += 1
    except BaseException as exc:  # noqa: BLE001 (reported by the test)
        errors.append(exc)


def test_two_workers_claiming_at_once_never_take_the_same_row(app, coordinator, monkeypatch):
    """On PostgreSQL (AID_TEST_DATABASE_URL) this is FOR UPDATE SKIP LOCKED between two
    connections; on SQLite the same two threads race on the single-statement claim."""
    add_subscribers(200)
    monkeypatch.setattr(fanout, "enqueue", lambda alert_id: None)
    alert = service.create_draft(draft(), coordinator)
    app.config["ALERT_APPROVAL_THRESHOLD"] = 1000
    service.submit(alert, coordinator)
    a, b, errors = [], [], []
    threads = [threading.Thread(target=_claim_all, args=(app, alert.id, t, out, errors))
               for t, out in (("a", a), ("b", b))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert not set(a) & set(b) and len(a) + len(b) == 200 and len(set(a + b)) == 200


def test_a_killed_worker_delays_but_never_drops(app, twilio, coordinator, monkeypatch):
    numbers = add_subscribers(40)
    monkeypatch.setattr(fanout, "enqueue", lambda alert_id: None)
    alert = service.create_draft(draft(), coordinator)
    service.submit(alert, coordinator)
    # The worker claims a batch, has 3 sends in flight (they reached Twilio), and dies
    # before recording them.
    held = fanout.claim(alert.id, 20, "dead-worker")
    in_flight = held[:3]
    for delivery_id in in_flight:
        row = db.session.get(Delivery, delivery_id)
        send_sms(find_subscriber_phone(row.subscriber_id), "ICE vans", purpose="alert")
    assert fanout.requeue() == [alert.id]  # claims still fresh: only the pending rows go
    assert len(twilio.sent) == 3 + 20
    db.session.execute(update(Delivery).where(Delivery.claim_token == "dead-worker")
                       .values(claimed_at=Delivery.claimed_at - timedelta(minutes=5)))
    db.session.commit()
    fanout.requeue()  # the periodic job, a few minutes later
    to = Counter(form["To"] for form in twilio.sent)
    assert set(to) == set(numbers)
    duplicates = sum(n - 1 for n in to.values())
    assert duplicates == len(in_flight) <= app.config["ALERT_CONCURRENCY"]
    db.session.refresh(alert)
    assert alert.status == AlertState.SENT
    assert not db.session.scalars(select(Delivery).where(
        Delivery.status.in_((DeliveryState.PENDING, DeliveryState.CLAIMED)))).all()


def find_subscriber_phone(subscriber_id: int) -> str:
    from aid.sms.models import Subscriber

    return db.session.get(Subscriber, subscriber_id).phone


def test_a_throttled_send_is_retried_and_still_sent_once(app, twilio, coordinator):
    [number] = add_subscribers(1)
    twilio.fail_next(429, 20429)
    alert = sent_alert(coordinator)
    assert [form["To"] for form in twilio.sent] == [number, number]  # refused, then accepted
    assert service.progress(alert).count("sent") == 1


def test_failures_are_counted_with_their_twilio_code(app, twilio, coordinator):
    add_subscribers(3)
    twilio.fail_next(400, 21211)  # invalid 'To' number
    alert = sent_alert(coordinator)
    progress = service.progress(alert)
    assert progress.count("failed") == 1 and progress.count("sent") == 2
    assert progress.failures == [(21211, 1)]


def _age_claims(token: str) -> None:
    db.session.execute(update(Delivery).where(Delivery.claim_token == token)
                       .values(claimed_at=Delivery.claimed_at - timedelta(minutes=5)))
    db.session.commit()


def test_a_slow_job_keeps_its_claims_and_never_sends_the_rows_it_lost(app, twilio, coordinator,
                                                                      monkeypatch):
    """A claim is a lease: renewed, a slow job's rows are not handed out again; once lost
    (released as stale), the slow job drops them instead of sending them a second time."""
    from collections import deque

    from aid.alerts.fanout import claims, sending

    add_subscribers(10)
    monkeypatch.setattr(fanout, "enqueue", lambda alert_id: None)
    alert = sent_alert(coordinator)
    held = fanout.claim(alert.id, 10, "slow")
    queue = deque(sending.prepare("slow", {"en": "ICE vans"}, 3600))
    _age_claims("slow")
    leases = sending.Leases(alert.id, app.config["ALERT_CLAIM_STALE_SECONDS"])
    leases.renewed["slow"] = time.monotonic() - 3600  # due for renewal
    leases.keep(queue, [])
    assert claims.release_stale(alert.id) == 0 and len(queue) == len(held) == 10

    _age_claims("slow")
    assert claims.release_stale(alert.id) == 10  # the job stalled past the stale limit
    leases.renewed["slow"] = time.monotonic() - 3600
    leases.keep(queue, [])
    assert not queue  # nothing of what another job now owns is sent by this one
    fanout.run(alert.id)  # the job that took them over
    to = Counter(form["To"] for form in twilio.sent)
    assert len(to) == 10 and max(to.values()) == 1
