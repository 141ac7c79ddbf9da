"""Shared pieces for benchmarks: a migrated throwaway app, a live server, concurrent clients."""

from __future__ import annotations

import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

from flask import Flask
from werkzeug.serving import make_server

from aid import create_app
from config import TestConfig


@contextmanager
def bench_app(**env: str) -> Iterator[Flask]:
    """A migrated app on a temporary SQLite file, rate limits out of the way."""
    from flask_migrate import upgrade

    with tempfile.TemporaryDirectory() as folder:
        environ = {"AID_INSTANCE_PATH": folder,
                   "AID_DATABASE_URL": f"sqlite:///{Path(folder) / 'bench.db'}",
                   "AID_LOGIN_LIMIT": "100000 per minute", **env}
        app = create_app(TestConfig(environ))
        app.config["RATELIMIT_ENABLED"] = False
        with app.app_context():
            upgrade()
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
