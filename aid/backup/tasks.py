"""The nightly backup (and pruning of old ones)."""

from __future__ import annotations

from huey import crontab

from aid.backup.service import nightly
from aid.tasks import periodic


@periodic(crontab(hour="2", minute="41"))
def nightly_backup() -> None:
    nightly()
