"""Background sending of bulk texts (a thin call into the service)."""

from __future__ import annotations

from huey import crontab

from aid.outreach import privacy, service
from aid.tasks import periodic, task


@task()
def send_bulk(bulk_id: int) -> None:
    service.send_all(bulk_id)


@periodic(crontab(minute="40", hour="3"))
def purge_bulk_texts() -> None:
    privacy.purge_sent()
