"""Periodic: requests nobody has acted on are escalated to the coordinators on duty, once."""

from __future__ import annotations

from huey import crontab

from aid.hotline import notices, service
from aid.tasks import periodic


@periodic(crontab(minute="*/15"))
def escalate_stale() -> None:
    notices.escalate_stale(service.stale_before())

