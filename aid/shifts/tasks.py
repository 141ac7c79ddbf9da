"""Periodic jobs: reminders before shifts, and the missed check-out alarm."""

from __future__ import annotations

from huey import crontab

from aid.shifts.signups import alert_missed_checkouts
from aid.shifts.sms import send_due_reminders
from aid.tasks import periodic


@periodic(crontab(minute="*"))
def missed_checkouts() -> None:
    alert_missed_checkouts()


@periodic(crontab(minute="*/5"))
def shift_reminders() -> None:
    """Every five minutes: a 24 h reminder goes out at most five minutes late, and each one
    only once (claimed before it is sent)."""
    send_due_reminders()
