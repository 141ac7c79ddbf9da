"""Periodic jobs of bulk texts (the sending job itself lives in `sending`)."""

from __future__ import annotations

from huey import crontab

from aid.outreach import privacy
from aid.tasks import periodic


@periodic(crontab(minute="40", hour="3"))
def purge_bulk_texts() -> None:
    privacy.purge_sent()
