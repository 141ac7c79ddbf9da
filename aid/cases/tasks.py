"""Periodic job: the family's reminders before each dated milestone, and telling the team
when the family did not answer."""

from __future__ import annotations

from huey import crontab

from aid.cases.milestones import escalate_silent, send_due_reminders
from aid.tasks import periodic


@periodic(crontab(minute="*/5"))
def case_reminders() -> None:
    """Every five minutes: each reminder is claimed before it is sent, so a restart or a
    second worker never texts a family twice."""
    send_due_reminders()
    escalate_silent()
