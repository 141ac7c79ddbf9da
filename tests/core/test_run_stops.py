"""`aid run` (server and worker in one process) stops on the first Ctrl+C or SIGTERM."""

from __future__ import annotations

import os
import queue
import shutil
import signal
import socket
import subprocess
import sys
import threading
import urllib.request
from pathlib import Path

import pytest

from tests.helpers import KEYS, PG_URL

STARTUP_SECONDS = 60  # a bound on waiting for a busy machine, not a pause
STOP_SECONDS = 5


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def port_is_free(port: int) -> bool:
    """Whether a new server could listen on `port`. SO_REUSEADDR, as every server sets it:
    the finished /healthz connection may linger in TIME_WAIT, which is not a listener."""
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


@pytest.fixture
def running(app, database_template: str, tmp_path: Path):
    """Start `aid run` on a free port; yield (process, port) once it answers. (`app`: its
    teardown empties the shared PostgreSQL tables after the process is gone, so the worker's
    heartbeat does not reach the next test.)"""
    if PG_URL:
        url = PG_URL
    else:
        shutil.copy(database_template, tmp_path / "aid.db")
        url = f"sqlite:///{tmp_path / 'aid.db'}"
    port = free_port()
    env = {**os.environ, **KEYS, "AID_ENV": "development", "AID_INSTANCE_PATH": str(tmp_path),
           "AID_DATABASE_URL": url, "PORT": str(port), "AID_SMS_BACKEND": "console",
           "PYTHONUNBUFFERED": "1"}
    env.pop("AID_PUBLIC_URL", None)
    aid = Path(sys.executable).with_name("aid")
    process = subprocess.Popen([str(aid), "run"], env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in process.stdout],
                     daemon=True).start()
    try:
        while True:
            line = lines.get(timeout=STARTUP_SECONDS)
            if line.startswith("Aid on http"):
                break
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=10) as answer:
            assert answer.status == 200
        yield process, port
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["sigterm", "ctrl-c"])
def test_one_signal_stops_server_and_worker_and_frees_the_port(running, sig):
    process, port = running
    process.send_signal(sig)
    try:
        code = process.wait(timeout=STOP_SECONDS)
    except subprocess.TimeoutExpired:
        pytest.fail(f"aid run still running {STOP_SECONDS} s after one {sig.name}")
    assert code == 0
    assert port_is_free(port), f"port {port} still held after aid run exited"


def test_port_sets_the_public_url_when_none_is_given():
    from config import DevelopmentConfig

    assert DevelopmentConfig({"PORT": "5291"}).PUBLIC_URL == "http://127.0.0.1:5291"
    given = DevelopmentConfig({"PORT": "5291", "AID_PUBLIC_URL": "https://aid.example.org/"})
    assert given.PUBLIC_URL == "https://aid.example.org"
