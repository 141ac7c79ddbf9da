"""The nightly retention purge (every kind of record, including the SMS logs)."""

from __future__ import annotations

from huey import crontab

from aid.privacy.service import purge_all
from aid.tasks import periodic


@periodic(crontab(hour="3", minute="17"))
def purge_expired_records() -> None:
    purge_all()
