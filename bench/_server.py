"""Shared pieces for benchmarks: a migrated throwaway app, a live server, concurrent clients."""

from __future__ import annotations

import cProfile
import logging
import pstats
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

from flask import Flask
from werkzeug.serving import make_server

from aid import create_app
from config import TestConfig


@contextmanager
def bench_app(**env: str) -> Iterator[Flask]:
    """A migrated app on a temporary SQLite file, rate limits out of the way (background
    jobs run at once, as in tests; `bench.pages` queues them, as a deployed app does)."""
    from flask_migrate import upgrade

    with tempfile.TemporaryDirectory() as folder:
        environ = {"AID_INSTANCE_PATH": folder,
                   "AID_DATABASE_URL": f"sqlite:///{Path(folder) / 'bench.db'}",
                   "AID_LOGIN_LIMIT": "100000 per minute", **env}
        app = create_app(TestConfig(environ))
        app.config["RATELIMIT_ENABLED"] = False
        logging.disable(logging.INFO)  # no line per migration
        try:
            with app.app_context():
                upgrade()
        finally:
            logging.disable(logging.NOTSET)
        yield app


@contextmanager
def live(app: Flask) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()


def fetch(url: str) -> int:
    """GET a page; returns its size in bytes."""
    with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 (loopback only)
        return len(response.read())


def throughput(call: Callable[[], object], total: int, clients: int) -> float:
    """Requests per second for `total` calls spread over `clients` threads."""
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        for future in [pool.submit(call) for _ in range(total)]:
            future.result()
    return total / (time.perf_counter() - started)


def bare_app(database_url: str) -> Flask:
    """The yardstick: Flask + Flask-SQLAlchemy answering `SELECT 1`, nothing else. Pages are
    reported as this app's cost divided by theirs, measured in the same run, so the figures
    hold on a busy machine where absolute times do not."""
    from flask_sqlalchemy import SQLAlchemy
    from sqlalchemy import text

    app = Flask("bare")
    app.config["SQLALCHEMY_DATABASE_URI"] = database_url
    bare_db = SQLAlchemy(app)

    @app.get("/")
    def index() -> str:
        return str(bare_db.session.execute(text("SELECT 1")).scalar())

    return app


def interleaved(calls: Mapping[str, Callable[[], object]], rounds: int,
                repeats: int = 3) -> dict[str, tuple[float, float]]:
    """Median (CPU, wall) seconds per call of each named call, taken in turns (one of each,
    then again) so a neighbour's burst of load falls on all of them alike."""
    samples: dict[str, tuple[list[float], list[float]]] = {k: ([], []) for k in calls}
    for call in calls.values():
        call()  # warm caches and compiled statements
    for _ in range(rounds * repeats):
        for name, call in calls.items():
            c0, w0 = time.process_time(), time.perf_counter()
            call()
            samples[name][0].append(time.process_time() - c0)
            samples[name][1].append(time.perf_counter() - w0)
    return {name: (sorted(cpu)[len(cpu) // 2], sorted(wall)[len(wall) // 2])
            for name, (cpu, wall) in samples.items()}


def statements(engine: object, call: Callable[[], object]) -> int:
    """How many SQL statements one call sends."""
    from sqlalchemy import event

    seen: list[str] = []

    def listen(*args: object) -> None:
        seen.append(str(args[2]))

    event.listen(engine, "before_cursor_execute", listen)
    try:
        call()
    finally:
        event.remove(engine, "before_cursor_execute", listen)
    return len(seen)


def python_calls(call: Callable[[], object]) -> int:
    """How many Python function calls one call makes: unlike time, the same on a busy machine
    (the test client's own share included, as in the bare app's figure)."""
    profile = cProfile.Profile()
    profile.enable()
    try:
        call()
    finally:
        profile.disable()
    return int(pstats.Stats(profile).total_calls)  # type: ignore[attr-defined]
