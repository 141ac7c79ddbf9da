"""Background jobs for alerts: each a thin call into the fan-out or the report service."""

from __future__ import annotations

from huey import crontab

from aid.tasks import every, periodic, task


@task()
def fan_out(alert_id: int) -> None:
    from aid.alerts import fanout

    fanout.run(alert_id)


@every("ALERT_REQUEUE_SECONDS")
def requeue_alerts() -> None:
    """A lost job or a killed worker delays an alert by about ALERT_CLAIM_STALE_SECONDS plus
    ALERT_REQUEUE_SECONDS (two or three minutes by default), never drops it."""
    from aid.alerts import fanout

    fanout.requeue()


@periodic(crontab(hour="3", minute="23"))
def purge_reports() -> None:
    from aid.alerts import reports

    reports.purge_old()
