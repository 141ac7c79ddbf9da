"""The fan-out: one delivery row per recipient, and workers that send them.

Approval inserts the first chunk of delivery rows in the transaction that moves the alert to
`sending`, and the jobs write the next chunk whenever they run out (`audience`); worker jobs
claim pending rows in batches (`claims`), pace themselves on the sender's shared rate cap
(`aid.sms.pacing`) and hand each batch to the SMS gateway (`sending`). A worker killed
mid-way leaves rows `claimed`: the periodic `requeue` hands rows claimed longer than
ALERT_CLAIM_STALE_SECONDS back out (and restarts a fill left half-way), so a lost job or a
killed worker delays, never drops.

This package does not know the task queue: `aid.alerts.tasks` registers the background job
that runs `run` (`use_job`), and `enqueue` / `requeue` go through it. So the tasks module
imports the fan-out and never the reverse.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import current_app
from sqlalchemy import func, select

from aid.alerts.fanout import audience
from aid.alerts.fanout.audience import (
    correction_counts,
    count_recipients,
    counts_by_language,
    create_deliveries,
    fill_next,
    is_filling,
)
from aid.alerts.fanout.claims import claim, finish_if_done, has_pending, release_stale
from aid.alerts.fanout.sending import full_text, run
from aid.alerts.models import Alert, AlertState, Delivery
from aid.extensions import db

__all__ = ["claim", "correction_counts", "count_recipients",
           "counts_by_language", "create_deliveries", "enqueue", "fill_next", "full_text",
           "requeue", "run", "start_deliveries", "unwritten", "use_job"]


def start_deliveries(alert: Alert) -> None:
    """The first ALERT_FILL_CHUNK delivery rows, in the caller's transaction (no commit)."""
    audience.start_deliveries(alert, current_app.config["ALERT_FILL_CHUNK"])


def unwritten(alert: Alert) -> int:
    """Recipients counted at approval whose delivery rows were not written yet."""
    written = db.session.scalar(select(func.count(Delivery.id)).where(
        Delivery.alert_id == alert.id)) or 0
    return max(0, alert.recipients - written)

Job = Callable[[int], object]
_job: Job | None = None


def use_job(job: Job) -> None:
    """Set what starts one fan-out job for an alert id (the background task)."""
    global _job
    _job = job


def _start(alert_id: int) -> None:
    if _job is None:
        raise RuntimeError("no fan-out job registered (aid.alerts.tasks is not loaded)")
    _job(alert_id)


def enqueue(alert_id: int) -> None:
    """Start the fan-out: ALERT_JOBS jobs, so several worker threads or machines share it."""
    for _ in range(max(1, current_app.config["ALERT_JOBS"])):
        _start(alert_id)


def requeue() -> list[int]:
    """The periodic safety net: alerts still sending get stale claims released and a job
    again if anything is pending; finished ones are marked sent. Returns re-queued ids."""
    ids = list(db.session.scalars(select(Alert.id).where(Alert.status == AlertState.SENDING)))
    requeued = []
    for alert_id in ids:
        release_stale(alert_id)
        pending = has_pending(alert_id) or is_filling(alert_id)
        db.session.commit()
        if pending:
            requeued.append(alert_id)
            _start(alert_id)
        else:
            finish_if_done(alert_id)
    return requeued
