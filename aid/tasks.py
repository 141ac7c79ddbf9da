"""The background queue (Huey): SQLite storage for the embedded default, Redis when configured.

Each task is a thin call into a service, run inside the app's context. Jobs that act on data
are enqueued only after the data they read is committed (see `after_commit`).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from flask import Flask, has_app_context
from huey import Huey, crontab
from huey.storage import MemoryStorage, RedisStorage, SqliteStorage

F = TypeVar("F", bound=Callable[..., Any])

huey = Huey("aid", storage_class=MemoryStorage, results=False, utc=True)
_app: Flask | None = None


def configure(app: Flask) -> None:
    """Point the queue at this app's storage; called by `create_app`."""
    global _app
    _app = app
    cfg = app.config
    if cfg["REDIS_URL"]:
        huey.storage_class, huey.storage_kwargs = RedisStorage, {"url": cfg["REDIS_URL"]}
    else:
        path = Path(cfg["INSTANCE_PATH"]) / "queue.db"
        path.parent.mkdir(parents=True, exist_ok=True)
        huey.storage_class, huey.storage_kwargs = SqliteStorage, {"filename": str(path)}
    huey._immediate = cfg["HUEY_IMMEDIATE"]
    huey.storage = huey.create_storage()


def _in_app(fn: F) -> F:
    @functools.wraps(fn)
    def run(*args: Any, **kwargs: Any) -> Any:
        if has_app_context():
            return fn(*args, **kwargs)
        if _app is None:
            raise RuntimeError("the task queue was not configured with an app")
        with _app.app_context():
            return fn(*args, **kwargs)

    return run  # type: ignore[return-value]


def task(**options: Any) -> Callable[[F], Any]:
    """`@task()` like Huey's, with the Flask app context set up around the call."""
    return lambda fn: huey.task(**options)(_in_app(fn))


def periodic(schedule: Any) -> Callable[[F], Any]:
    return lambda fn: huey.periodic_task(schedule)(_in_app(fn))


@periodic(crontab(minute="*"))
def heartbeat() -> None:
    """Lets admins see that the worker is alive (reminders and alerts depend on it)."""
    from aid.core.service import record_heartbeat

    record_heartbeat()


def run_consumer(workers: int = 2, periodic: bool = True) -> None:
    """The loop `aid worker` runs (threads: tasks wait on the network, not the CPU)."""
    consumer = huey.create_consumer(workers=workers, worker_type="thread", periodic=periodic)
    consumer.run()
