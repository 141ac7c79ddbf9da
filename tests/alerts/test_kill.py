"""Kill-safety with real processes: an `aid worker` process sends a 600-recipient alert
through the fake Twilio (50 ms a text), its rows written in chunks of 150; once half has been
answered the fake Twilio holds every further request, so the worker is SIGKILLed with all its
sends in flight (no race with the clock); the periodic requeue of the second worker (started
beside it on PostgreSQL, after the kill on SQLite) sends the rest. Every recipient gets the
alert; duplicates are at most ALERT_JOBS x ALERT_CONCURRENCY.

No wall clock decides anything: claims count as stale only after an hour, so a live job on
a loaded machine never loses its claims, and the dead worker's claims are made an hour old
by the test (as if that hour had passed), so the requeue hands them out at once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

from sqlalchemy import func, select, update

from aid import tasks
from aid.alerts import service
from aid.alerts.models import Alert, AlertState, Delivery, DeliveryState
from aid.extensions import db
from aid.timeutil import utcnow
from tests.alerts.support import add_subscribers, draft
from tests.fakes.fake_twilio import ACCOUNT_SID, AUTH_TOKEN
from tests.helpers import KEYS, PG_URL, REDIS_URL

RECIPIENTS = 600
STALE_SECONDS = 3600
SETTINGS = {"AID_ALERT_JOBS": "2", "AID_ALERT_CONCURRENCY": "4", "AID_ALERT_BATCH": "20",
            "AID_ALERT_CLAIM_STALE_SECONDS": str(STALE_SECONDS),
            "AID_ALERT_REQUEUE_SECONDS": "1",
            # Rows are written in four chunks: the kill comes in the middle of the writing too.
            "AID_ALERT_FILL_CHUNK": "150"}
AID = str(Path(sys.executable).with_name("aid"))


def _worker(app, twilio, log: Path) -> subprocess.Popen:
    """`aid worker` in its own process, on the test's database and queue."""
    env = {**os.environ, **KEYS, **SETTINGS, "AID_ENV": "development",
           "AID_INSTANCE_PATH": app.config["INSTANCE_PATH"],
           "AID_DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"], "AID_REDIS_URL": REDIS_URL,
           "AID_SMS_BACKEND": "twilio", "TWILIO_ACCOUNT_SID": ACCOUNT_SID,
           "TWILIO_AUTH_TOKEN": AUTH_TOKEN, "TWILIO_FROM_NUMBER": "+12025550100",
           "TWILIO_API_BASE": twilio.url, "AID_SMS_RETRY_SECONDS": "0.001"}
    with log.open("ab") as out:  # two huey threads: one per fan-out job (ALERT_JOBS)
        return subprocess.Popen([AID, "worker", "--workers", "2"], env=env, stdout=out,
                                stderr=subprocess.STDOUT)


def _wait(condition, seconds: float, what: str, logs: Path) -> None:
    """Poll until `condition`; `seconds` only stops a broken run from hanging."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out: {what}\n{logs.read_text()[-3000:]}")
        time.sleep(0.05)


def test_a_worker_killed_half_way_loses_nothing_and_repeats_at_most_its_sends_in_flight(
        app, twilio, coordinator, make_user, tmp_path):
    numbers = add_subscribers(RECIPIENTS)
    app.config["ALERT_FILL_CHUNK"] = int(SETTINGS["AID_ALERT_FILL_CHUNK"])  # the approval's
    twilio.delay = 0.05
    # This process only enqueues: the jobs go to the shared queue for the workers.
    tasks.huey._immediate = False
    tasks.huey.storage = tasks.huey.create_storage()
    tasks.huey.flush()
    log = tmp_path / "workers.log"
    in_flight = int(SETTINGS["AID_ALERT_JOBS"]) * int(SETTINGS["AID_ALERT_CONCURRENCY"])
    twilio.hold(after=RECIPIENTS // 2)
    workers = [_worker(app, twilio, log)]
    try:
        alert = service.create_draft(draft(), coordinator)
        assert service.submit(alert, coordinator) == "pending"
        service.approve(alert, make_user("coordinator", "vetted"))
        assert alert.recipients == RECIPIENTS

        # Both jobs of the only worker have every send thread waiting at Twilio.
        twilio.wait_until_held(in_flight)
        # Every claim now is the victim's: its jobs wait on their sends and claim nothing more.
        victims = _claim_tokens(alert.id)
        if PG_URL:  # a second process beside it, claiming from the same rows
            workers.append(_worker(app, twilio, log))
        victim = workers[0]
        victim.send_signal(signal.SIGKILL)
        victim.wait(300)
        at_kill = len(twilio.sent)
        assert RECIPIENTS // 2 + in_flight <= at_kill < RECIPIENTS  # killed half-way
        _age(alert.id, victims)
        twilio.release()
        if not PG_URL:  # one process on SQLite: it comes back
            workers.append(_worker(app, twilio, log))

        def sent() -> bool:
            db.session.rollback()  # see the workers' commits
            return db.session.scalar(select(Alert.status).where(
                Alert.id == alert.id)) == AlertState.SENT

        _wait(sent, 600, "the alert finished", log)
    finally:
        twilio.release()
        for worker in workers:
            if worker.poll() is None:
                worker.kill()
                worker.wait(5)
        tasks.huey.flush()
        tasks.huey._immediate = True

    to = Counter(form["To"] for form in twilio.sent)
    assert set(to) == set(numbers)  # every recipient got it
    duplicates = sum(n - 1 for n in to.values())
    assert duplicates <= in_flight, _why(to, at_kill, log)
    states = dict(db.session.execute(select(Delivery.status, func.count()).where(
        Delivery.alert_id == alert.id).group_by(Delivery.status)).all())
    assert states == {DeliveryState.SENT: RECIPIENTS}
    assert service.progress(alert).percent == 100


def _claim_tokens(alert_id: int) -> set[str]:
    db.session.rollback()  # see the worker's commits
    return set(db.session.scalars(select(Delivery.claim_token).where(
        Delivery.alert_id == alert_id, Delivery.status == DeliveryState.CLAIMED)))


def _age(alert_id: int, tokens: set[str]) -> None:
    """The dead worker's claims become older than ALERT_CLAIM_STALE_SECONDS."""
    db.session.execute(update(Delivery).where(
        Delivery.alert_id == alert_id, Delivery.status == DeliveryState.CLAIMED,
        Delivery.claim_token.in_(tokens)).values(
            claimed_at=utcnow() - timedelta(seconds=STALE_SECONDS + 60)))
    db.session.commit()


def _why(to: Counter, at_kill: int, log: Path) -> str:
    """What the outbox says about the texts sent more than once (for a failure message)."""
    from aid.sms.models import OutboundMessage

    db.session.rollback()
    notes = Counter((m.status, m.error_note) for m in db.session.scalars(select(
        OutboundMessage).where(OutboundMessage.purpose == "alert")) if to[m.to_number] > 1)
    return f"at kill {at_kill}; repeated texts' rows: {dict(notes)}\n{log.read_text()[-3000:]}"
