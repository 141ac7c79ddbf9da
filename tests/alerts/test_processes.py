"""`aid worker --processes 2`: two consumer processes share one alert's fan-out (each sends
part of it, nobody gets it twice), and stopping the command stops both."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from sqlalchemy import select

from aid import tasks
from aid.alerts import service
from aid.alerts.models import Alert, AlertState
from aid.extensions import db
from tests.alerts.support import add_subscribers, draft
from tests.fakes.fake_twilio import ACCOUNT_SID, AUTH_TOKEN
from tests.helpers import KEYS, REDIS_URL
from tests.measure import child_pids

AID = str(Path(sys.executable).with_name("aid"))
RECIPIENTS = 200


def _wait(condition, seconds: float, what: str, log: Path) -> None:
    """Poll until `condition`; `seconds` only stops a broken run from hanging."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out: {what}\n{log.read_text()[-3000:]}")
        time.sleep(0.05)


def test_two_worker_processes_share_an_alert_and_stop_together(app, twilio, coordinator,
                                                               make_user, tmp_path):
    numbers = add_subscribers(RECIPIENTS)
    twilio.delay = 0.02
    tasks.huey._immediate = False  # this process only enqueues
    tasks.huey.storage = tasks.huey.create_storage()
    tasks.huey.flush()
    log = tmp_path / "workers.log"
    env = {**os.environ, **KEYS, "AID_ENV": "development",
           "AID_INSTANCE_PATH": app.config["INSTANCE_PATH"],
           "AID_DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"], "AID_REDIS_URL": REDIS_URL,
           "AID_SMS_BACKEND": "twilio", "TWILIO_ACCOUNT_SID": ACCOUNT_SID,
           "TWILIO_AUTH_TOKEN": AUTH_TOKEN, "TWILIO_FROM_NUMBER": "+12025550100",
           "TWILIO_API_BASE": twilio.url, "AID_ALERT_JOBS": "2", "AID_ALERT_BATCH": "10",
           "AID_ALERT_CONCURRENCY": "2"}
    # Twilio holds every text: each process's job waits on its first sends, so the other job
    # is taken by the other process (one huey thread each).
    twilio.hold()
    with log.open("ab") as out:
        worker = subprocess.Popen([AID, "worker", "--processes", "2", "--workers", "1"],
                                  env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        _wait(lambda: len(child_pids(worker.pid)) == 2, 120, "two processes", log)
        alert = service.create_draft(draft(), coordinator)
        assert service.submit(alert, coordinator) == "pending"
        service.approve(alert, make_user("coordinator", "vetted"))
        # 2 jobs x 2 sends in flight, and a process runs one job at a time: both are sending.
        twilio.wait_until_held(4)
        twilio.release()

        def sent() -> bool:
            db.session.rollback()  # see the workers' commits
            return db.session.scalar(select(Alert.status).where(
                Alert.id == alert.id)) == AlertState.SENT

        _wait(sent, 300, "the alert finished", log)
        children = child_pids(worker.pid)
        worker.send_signal(signal.SIGTERM)
        worker.wait(60)
        assert not [pid for pid in children if Path(f"/proc/{pid}").exists()]
    finally:
        twilio.release()
        if worker.poll() is None:
            for pid in child_pids(worker.pid):
                os.kill(pid, signal.SIGKILL)
            worker.kill()
            worker.wait(5)
        tasks.huey.flush()
        tasks.huey._immediate = True
    to = Counter(form["To"] for form in twilio.sent)
    assert set(to) == set(numbers) and max(to.values()) == 1
