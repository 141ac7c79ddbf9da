"""Periodic jobs of bulk texts (the sending job itself lives in `sending`; old bulk texts
are purged through the privacy registry, see `privacy`)."""

from __future__ import annotations

from huey import crontab

from aid.outreach import sending
from aid.tasks import periodic


@periodic(crontab(minute="*"))
def resume_bulk_texts() -> None:
    """A bulk text whose worker died mid-send goes on about OUTREACH_CLAIM_STALE_SECONDS
    later, from where it stopped."""
    sending.resume_stale()
