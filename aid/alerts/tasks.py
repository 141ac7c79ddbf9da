"""Background jobs for alerts: each a thin call into the fan-out or the report service.

This is the only alerts module that knows the task queue: it registers `fan_out` as the
fan-out's job, so the fan-out itself never imports it.
"""

from __future__ import annotations

from huey import crontab

from aid.alerts import fanout, verification
from aid.tasks import every, periodic, task


@task()
def fan_out(alert_id: int) -> None:
    fanout.run(alert_id)


fanout.use_job(fan_out)


@every("ALERT_REQUEUE_SECONDS")
def requeue_alerts() -> None:
    """A lost job or a killed worker delays an alert by about ALERT_CLAIM_STALE_SECONDS plus
    ALERT_REQUEUE_SECONDS (two or three minutes by default), never drops it."""
    fanout.requeue()


@periodic(crontab(minute="*/5"))
def expire_reports() -> None:
    """Reports nobody re-confirmed in time stop being current (pages check on opening too).
    Old reports are purged by the nightly privacy purge (aid.alerts.privacy)."""
    verification.expire_due()
