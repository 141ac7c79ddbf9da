"""Key rotation from /admin: started in the browser, carried on after the worker dies, and
ending with every value under the new key (the old key can then go)."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from aid.admin import rotation as admin_rotation
from aid.admin.models import RotationRun
from aid.admin.tasks import resume_rotations, rotate_keys
from aid.auth import service as accounts
from aid.demo import create_demo
from aid.extensions import db
from aid.security import rotation
from aid.security.audit import AuditEvent
from aid.security.crypto import new_key
from tests.helpers import KEYS, PASSWORD
from tests.privacy.support import key_ids


class WorkerKilled(BaseException):
    """Stands in for the worker process dying: nothing in the job gets to handle it."""


def _every_value() -> dict[str, list[tuple]]:
    return {t.name: [tuple(r) for r in db.session.execute(
        select(t).order_by(*t.primary_key.columns)).all()]
        for t, _c in rotation.encrypted_columns()}


def _admin(aid_test, client):
    user = accounts.create_user("rotator@example.org", "Rotator", "admin", PASSWORD)
    accounts.enrol_totp_now(user)
    db.session.commit()
    aid_test.sign_in(client, user)
    return user


def test_with_one_key_the_page_says_to_add_a_new_key_first(aid_test, app, client):
    _admin(aid_test, client)
    page = client.get("/admin/rotation").get_data(as_text=True)
    assert "add the new key first" in page
    assert "Start rotation" not in page
    aid_test.post_form(client, "/admin/rotation", {})
    assert db.session.scalar(select(RotationRun)) is None


def test_a_rotation_started_in_the_browser_survives_a_worker_restart(aid_test, app, app_factory,
                                                                     monkeypatch):
    list(create_demo())
    before = _every_value()
    new = new_key()
    both = app_factory(AID_DATA_KEYS=f"{new},{KEYS['AID_DATA_KEYS']}",
                       AID_ROTATION_STALE_SECONDS="0")
    with both.app_context():
        client = both.test_client()
        admin = _admin(aid_test, client)
        assert "Start rotation" in client.get("/admin/rotation").get_data(as_text=True)

        queued: list[int] = []
        monkeypatch.setattr(admin_rotation, "_enqueue", queued.append)  # the job waits in the queue
        response = aid_test.post_form(client, "/admin/rotation", {})
        assert response.status_code == 302
        assert "waiting for the worker" in client.get("/admin/rotation").get_data(as_text=True)
        assert db.session.scalar(select(AuditEvent).where(
            AuditEvent.action == "keys.rotation_started")).actor_id == admin.id

        # The worker takes the job and dies after a few batches.
        monkeypatch.setattr(rotation, "BATCH", 3)
        real_record, calls = admin_rotation.record_progress, []

        def dying(run_id, steps):
            real_record(run_id, steps)
            calls.append(1)
            if len(calls) == 4:
                raise WorkerKilled

        monkeypatch.setattr(admin_rotation, "record_progress", dying)
        with pytest.raises(WorkerKilled):
            rotate_keys.call_local(queued[0])
        monkeypatch.undo()
        monkeypatch.setattr(rotation, "BATCH", 3)
        db.session.rollback()

        page = client.get("/admin/rotation").get_data(as_text=True)
        assert "running" in page and "old-key-note" not in page
        run = db.session.get(RotationRun, queued[0])
        steps = json.loads(run.steps)
        assert 0 < sum(s[2] for s in steps) < sum(s[3] for s in steps)
        assert len(key_ids()) == 2  # half done: old and new keys both in use

        # A worker starts again; its periodic check finds the silent run and finishes it.
        resume_rotations.call_local()
        db.session.expire_all()
        run = db.session.get(RotationRun, queued[0])
        assert run.status == "done" and run.attempts == 2
        page = client.get("/admin/rotation").get_data(as_text=True)
        assert "old-key-note" in page and "You may remove the old key" in page
        for _name, done, total in admin_rotation.per_table(run):
            assert done == total
        assert admin_rotation.values_left_under_old_keys() == 0
        assert len(key_ids()) == 1

    only_new = app_factory(AID_DATA_KEYS=new)
    with only_new.app_context():
        after = _every_value()
        assert after["users"][: len(before["users"])] == before["users"]
        for name, rows in before.items():
            if name != "users":
                assert after[name] == rows, name
