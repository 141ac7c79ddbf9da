"""The background queue works end to end: enqueue, a real consumer runs it, the app sees it."""

from __future__ import annotations

import time

from huey.storage import RedisStorage, SqliteStorage

from aid import tasks
from aid.core.service import worker_is_alive, worker_last_seen
from aid.core.tasks import heartbeat
from aid.extensions import db
from tests.helpers import REDIS_URL


def test_queued_job_is_run_by_a_real_consumer_and_admins_see_the_worker_alive(
        aid_test, app, client, make_user):
    storage = RedisStorage if REDIS_URL else SqliteStorage
    tasks.huey._immediate = False
    tasks.huey.storage = tasks.huey.create_storage()
    assert isinstance(tasks.huey.storage, storage)
    tasks.huey.flush()
    assert worker_last_seen() is None
    db.session.commit()

    heartbeat()  # enqueued, not run: nothing changes yet
    assert tasks.huey.pending_count() == 1 and worker_last_seen() is None

    consumer = tasks.huey.create_consumer(workers=1, worker_type="thread", periodic=False)
    consumer.start()
    try:
        # The consumer's commit ends the wait; the deadline only stops a broken run hanging.
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            db.session.rollback()  # see the worker's commit
            if worker_last_seen() is not None:
                break
            time.sleep(0.1)
    finally:
        consumer.stop(graceful=True)
    assert worker_is_alive()
    aid_test.sign_in(client, make_user("coordinator"))
    assert "Running (last seen" in client.get("/").get_data(as_text=True)


def test_home_page_warns_staff_when_no_worker_runs(aid_test, client, make_user):
    aid_test.sign_in(client, make_user("coordinator"))
    assert "Not seen in the last few minutes" in client.get("/").get_data(as_text=True)
