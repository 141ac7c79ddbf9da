"""The worker's own periodic job: a heartbeat admins see on the status page."""

from __future__ import annotations

from huey import crontab

from aid.core.service import record_heartbeat
from aid.tasks import periodic


@periodic(crontab(minute="*"))
def heartbeat() -> None:
    """Lets admins see that the worker is alive (reminders and alerts depend on it)."""
    record_heartbeat()
