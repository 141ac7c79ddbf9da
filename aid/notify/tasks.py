"""The worker's side of notifications: each row sent once, due rows and digests each minute."""

from __future__ import annotations

from huey import crontab

from aid.notify import sending, service
from aid.tasks import periodic, task


@task()
def deliver_task(note_id: int) -> None:
    sending.deliver(note_id)


@periodic(crontab(minute="*"))
def dispatch_due() -> None:
    """Rows whose quiet hours ended, retries that are due, and jobs that were lost."""
    sending.dispatch_due()


@periodic(crontab(minute="*"))
def send_digests() -> None:
    sending.send_digests()


@task()
def on_duty_task(kind: str, path: str = "", params: dict[str, str] | None = None,
                 digest: bool = False) -> None:
    service.notify_on_duty(kind, path=path, params=params, digest=digest)


service.deliver_later.fill(deliver_task)
service.on_duty_later.fill(on_duty_task)
