"""Board jobs: expired posts leave the board, and closed posts are purged after retention."""

from __future__ import annotations

from huey import crontab

from aid.board import moderation
from aid.tasks import periodic


@periodic(crontab(minute="7"))
def close_and_purge_posts() -> None:
    moderation.close_expired()
    moderation.purge()
