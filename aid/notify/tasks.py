"""The worker's side of notifications: each row sent once, due rows and digests each minute."""

from __future__ import annotations

from huey import crontab

from aid.tasks import periodic, task


@task()
def deliver_task(note_id: int) -> None:
    from aid.notify.sending import deliver

    deliver(note_id)


@periodic(crontab(minute="*"))
def dispatch_due() -> None:
    """Rows whose quiet hours ended, retries that are due, and jobs that were lost."""
    from aid.notify.sending import dispatch_due as run

    run()


@periodic(crontab(minute="*"))
def send_digests() -> None:
    from aid.notify.sending import send_digests as run

    run()
