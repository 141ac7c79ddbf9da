"""The background queue (Huey): SQLite storage for the embedded default, Redis when configured.

Each task is a thin call into a service, run inside the app's context. Jobs that act on data
are enqueued only after the data they read is committed (see `after_commit`).
"""

from __future__ import annotations

import functools
import os
import signal
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from flask import Flask, has_app_context
from huey import Huey
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


class Deferred:
    """A job a lower module queues and its feature's task module fills in: the lower module
    calls `later(...)`, the task module says `later.fill(the_task)` when it is imported (every
    feature's package imports its tasks), so neither imports the other in a circle."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._run: Callable[..., Any] | None = None

    def fill(self, fn: Callable[..., Any]) -> Callable[..., Any]:
        self._run = fn
        return fn

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if self._run is None:
            raise RuntimeError(f"no task was registered for {self.name}")
        return self._run(*args, **kwargs)


_timers: list[tuple[str, str, Callable[[], Any]]] = []
_at_start: list[Callable[[], Any]] = []


def at_worker_start(fn: F) -> F:
    """Call `fn` (in the app context) once when a worker starts (`aid worker`, `aid run`):
    for catch-up jobs that are cheap when there is nothing to catch up, so that starting a
    worker after an upgrade is all an operator has to do. `fn` usually enqueues a task."""
    if fn not in _at_start:
        _at_start.append(fn)
    return fn


def every(setting: str) -> Callable[[F], F]:
    """Run `fn` in each worker process every `app.config[setting]` seconds (0: never), for
    safety nets that must come round sooner than Huey's crontab allows (one minute)."""

    def register(fn: F) -> F:
        _timers.append((setting, fn.__name__, _in_app(fn)))
        return fn

    return register


def _tick(name: str, fn: Callable[[], Any], seconds: float) -> None:
    while True:
        time.sleep(seconds)
        try:
            fn()
        except Exception:  # noqa: BLE001 (the next tick tries again)
            if _app is not None:
                _app.logger.exception("timer %s failed", name)


def run_start_jobs(app: Flask) -> None:
    """Call the `at_worker_start` jobs (a worker does, as it starts)."""
    with app.app_context():
        for job in _at_start:
            try:
                job()
            except Exception:  # noqa: BLE001 (a catch-up job must not keep the worker down)
                app.logger.exception("start job %s failed", getattr(job, "__name__", job))


def start_timers(app: Flask) -> None:
    """Start the `every` loops beside a consumer (`aid worker`, `aid run`), and queue the
    `at_worker_start` jobs."""
    run_start_jobs(app)
    for setting, name, fn in _timers:
        seconds = float(app.config[setting])
        if seconds > 0:
            threading.Thread(target=_tick, args=(name, fn, seconds), name=f"timer-{name}",
                             daemon=True).start()


# Longest pause between two looks at a queue that cannot wait for a job (SQLite; Redis
# blocks until one comes): an alert's first text waits for it.
POLL_SECONDS = 0.25


def _watch_parent(parent: int) -> None:
    """Stop this worker (as SIGTERM would) once the process that started it is gone."""
    while os.getppid() == parent:
        time.sleep(1.0)
    os.kill(os.getpid(), signal.SIGTERM)


def run_consumer(workers: int = 2, periodic: bool = True, parent: int = 0) -> None:
    """The loop `aid worker` runs (threads: tasks wait on the network, not the CPU).
    `periodic`: also schedule the periodic jobs and timers (one process of several does).
    `parent`: the `aid worker --processes` that started this one; stop when it is gone."""
    consumer = huey.create_consumer(workers=workers, worker_type="thread", periodic=periodic,
                                    max_delay=POLL_SECONDS)
    if _app is not None and periodic:
        start_timers(_app)
    if parent:
        threading.Thread(target=_watch_parent, args=(parent,), name="parent-watch",
                         daemon=True).start()
    consumer.run()
