"""Volunteers' periodic work: planner statistics for the volunteer list's tables."""

from __future__ import annotations

from huey import crontab

from aid.tasks import periodic
from aid.volunteers import service


@periodic(crontab(minute="27"))
def refresh_volunteer_planner_stats() -> None:
    service.refresh_planner_stats()
