"""Key rotation from the admin pages: a resumable run of `aid.security.rotation` in the worker.

The admin adds the new key first (`AID_DATA_KEYS=new,old`, or a new `AID_INDEX_KEY` with the
old one in `AID_OLD_INDEX_KEY`) and restarts; then starts a run here. The worker claims it,
walks every table (values already under the current key are skipped without writing) and
records progress after each batch. A worker that dies leaves the run claimed but silent; after
ROTATION_STALE_SECONDS the periodic check hands it to a worker again, which walks the tables
from the start, cheaply skipping what is done.
"""

from __future__ import annotations

import json
from datetime import timedelta

from flask import current_app
from sqlalchemy import LargeBinary, column, func, or_, select, table, update

from aid.admin.models import RotationRun
from aid.extensions import db, rowcount
from aid.security import audit, rotation
from aid.security.crypto import Rekey, keyring
from aid.tasks import Deferred
from aid.timeutil import utcnow

ACTIVE = ("queued", "running")
# The worker's job for one run; `aid.admin.tasks` fills it in.
run_later = Deferred("admin.rotation.run_later")


class RotationBusy(Exception):
    """A rotation is already queued or running."""


def _count(name: str) -> int:
    return int(db.session.scalar(select(func.count()).select_from(table(name))) or 0)


def plan() -> list[list]:
    """The steps rotation walks, in its order, with the rows each will go through."""
    steps = [["values", t.name, 0, _count(t.name)]
             for t, _cols in rotation.encrypted_columns()]
    steps += [["indexes", s.table, 0, _count(s.table)]
              for s in rotation.blind_indexes(Rekey.RECOMPUTE)]
    return steps


def key_status() -> dict:
    """What the admin needs to know before starting: is there a new key to rotate to?"""
    ring = keyring()
    old_index = bool(current_app.config.get("OLD_INDEX_KEY"))
    return {"data_keys": len(ring.data_keys), "old_index_key": old_index,
            "ready": len(ring.data_keys) > 1 or old_index}


def latest() -> RotationRun | None:
    return db.session.scalar(select(RotationRun).order_by(RotationRun.id.desc()).limit(1))


def per_table(run: RotationRun) -> list[tuple[str, int, int]]:
    """Rows done of total, per table (both phases added up), in the order they are walked."""
    totals: dict[str, list[int]] = {}
    for _phase, name, done, total in json.loads(run.steps):
        entry = totals.setdefault(name, [0, 0])
        entry[0] += done
        entry[1] += total
    return [(name, done, total) for name, (done, total) in totals.items()]


def start(actor_id: int | None) -> RotationRun:
    """Queue a rotation (one at a time); the worker takes it after the commit."""
    if db.session.scalar(select(RotationRun.id).where(RotationRun.status.in_(ACTIVE))):
        raise RotationBusy
    run = RotationRun(created_by_id=actor_id, status="queued", steps=json.dumps(plan()))
    db.session.add(run)
    db.session.flush()
    audit.record("keys.rotation_started", "rotation", run.id, actor_id=actor_id)
    db.session.commit()
    _enqueue(run.id)
    return run


def _enqueue(run_id: int) -> None:
    run_later(run_id)


def _claim(run_id: int) -> bool:
    """Take the run if it is queued, or running with no sign of life for a while."""
    now = utcnow()
    stale = now - timedelta(seconds=current_app.config["ROTATION_STALE_SECONDS"])
    taken = db.session.execute(
        update(RotationRun)
        .where(RotationRun.id == run_id,
               or_(RotationRun.status == "queued",
                   (RotationRun.status == "running") & (RotationRun.heartbeat_at <= stale)))
        .values(status="running", heartbeat_at=now, attempts=RotationRun.attempts + 1))
    db.session.commit()
    return rowcount(taken) == 1


def run(run_id: int) -> None:
    """The worker's side: claim, rotate with progress after every batch, then check."""
    if not _claim(run_id):
        return
    steps = plan()  # counts as of now (rows may have come and gone since it was queued)
    position = [0]

    def progress(rows: int) -> None:
        while position[0] < len(steps) - 1 and steps[position[0]][2] >= steps[position[0]][3]:
            position[0] += 1
        step = steps[position[0]]
        step[2] = min(step[3], step[2] + rows) if position[0] < len(steps) - 1 else step[2] + rows
        record_progress(run_id, steps)

    record_progress(run_id, steps)
    try:
        result = rotation.rotate(progress=progress,
                                 old_index_key=current_app.config.get("OLD_INDEX_KEY") or None)
    except Exception as exc:
        db.session.rollback()
        db.session.execute(update(RotationRun).where(RotationRun.id == run_id)
                           .values(status="failed", detail=type(exc).__name__[:200]))
        db.session.commit()
        current_app.logger.exception("key rotation %s failed", run_id)
        return
    left = values_left_under_old_keys()
    for step in steps:
        step[2] = step[3]
    db.session.execute(update(RotationRun).where(RotationRun.id == run_id).values(
        status="done" if left == 0 else "failed", steps=json.dumps(steps),
        finished_at=utcnow(), heartbeat_at=utcnow(),
        detail=(f"{result['values']} values re-encrypted, {result['indexes']} indexes, "
                f"{result['unmatched']} unmatched, {left} left under an old key")))
    audit.record("keys.rotation_finished", "rotation", run_id, f"{left} left")
    db.session.commit()


def record_progress(run_id: int, steps: list[list]) -> None:
    db.session.execute(update(RotationRun).where(RotationRun.id == run_id)
                       .values(steps=json.dumps(steps), heartbeat_at=utcnow()))
    db.session.commit()


def values_left_under_old_keys() -> int:
    """Encrypted values not sealed under the current key (0 once a rotation is complete)."""
    ring = keyring()
    left = 0
    for model_table, cols in rotation.encrypted_columns():
        raw = table(model_table.name, *[column(c.name, LargeBinary) for c in cols])
        for row in db.session.execute(select(*raw.c)):
            for col, blob in zip(cols, row, strict=True):
                if blob is not None and not ring.is_current(bytes(blob), rotation.context_of(col)):
                    left += 1
    return left


def resume_stale() -> list[int]:
    """Hand rotations whose worker went silent (a restart, a crash) to a worker again."""
    stale = utcnow() - timedelta(seconds=current_app.config["ROTATION_STALE_SECONDS"])
    ids = list(db.session.scalars(select(RotationRun.id).where(
        or_(RotationRun.status == "queued",
            (RotationRun.status == "running") & (RotationRun.heartbeat_at <= stale)))))
    for run_id in ids:
        _enqueue(run_id)
    return ids
