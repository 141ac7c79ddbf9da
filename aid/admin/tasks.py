"""Background jobs for the admin pages: key rotation, and picking it up after a restart."""

from __future__ import annotations

from huey import crontab

from aid.admin import rotation
from aid.tasks import periodic, task


@task()
def rotate_keys(run_id: int) -> None:
    rotation.run(run_id)


@periodic(crontab(minute="*"))
def resume_rotations() -> None:
    rotation.resume_stale()


rotation.run_later.fill(rotate_keys)
