from __future__ import annotations

from datetime import datetime, timedelta

from aid.core.models import WorkerBeat
from aid.extensions import db
from aid.timeutil import utcnow

STALE_AFTER = timedelta(minutes=3)


def record_heartbeat() -> None:
    beat = db.session.get(WorkerBeat, 1) or WorkerBeat(id=1)
    beat.last_seen = utcnow()
    db.session.add(beat)
    db.session.commit()


def worker_last_seen() -> datetime | None:
    beat = db.session.get(WorkerBeat, 1)
    return beat.last_seen if beat else None


def worker_is_alive() -> bool:
    seen = worker_last_seen()
    return seen is not None and utcnow() - seen < STALE_AFTER
