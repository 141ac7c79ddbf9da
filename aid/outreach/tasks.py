"""Periodic jobs of bulk texts (the sending job itself lives in `sending`)."""

from __future__ import annotations

from huey import crontab

from aid.outreach import privacy, sending
from aid.tasks import periodic


@periodic(crontab(minute="40", hour="3"))
def purge_bulk_texts() -> None:
    privacy.purge_sent()


@periodic(crontab(minute="*"))
def resume_bulk_texts() -> None:
    """A bulk text whose worker died mid-send goes on about OUTREACH_CLAIM_STALE_SECONDS
    later, from where it stopped."""
    sending.resume_stale()
