"""Periodic safety job: a missed check-out alerts the shift's coordinator."""

from __future__ import annotations

from huey import crontab

from aid.tasks import periodic


@periodic(crontab(minute="*"))
def missed_checkouts() -> None:
    from aid.shifts.signups import alert_missed_checkouts

    alert_missed_checkouts()
