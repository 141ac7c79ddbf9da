"""Issue 20, point 5: the embedded default (`aid run` on SQLite) keeps every help request
under load: 20 people at once, 100 requests each, against a separate server process.

A bounded count, not a benchmark: it asserts 0 errors and each request stored exactly once.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import threading
from pathlib import Path

import requests
from sqlalchemy import select

from aid import create_app
from aid.extensions import db
from aid.hotline.models import HelpRequest
from tests.helpers import KEYS, make_config

CLIENTS = 20
EACH = 100


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _environ(folder: Path, port: int) -> dict[str, str]:
    return {**os.environ, **KEYS, "AID_ENV": "development", "AID_INSTANCE_PATH": str(folder),
            "AID_DATABASE_URL": f"sqlite:///{folder / 'aid.db'}", "AID_REDIS_URL": "",
            "AID_PUBLIC_URL": f"http://127.0.0.1:{port}", "AID_FORM_MIN_SECONDS": "0",
            "AID_HOTLINE_LIMIT": "100000 per minute", "AID_HOTLINE_QUEUE_PER_HOUR": "0",
            "PORT": str(port)}


def _wait_until_up(server: subprocess.Popen, base: str) -> None:
    """The server says it is up by answering /healthz; a dead server ends the wait at once."""
    for _attempt in range(600):
        if server.poll() is not None:
            raise AssertionError("aid run exited before answering")
        try:
            requests.get(f"{base}/healthz", timeout=1)
            return
        except requests.ConnectionError:
            threading.Event().wait(0.1)  # polling a process that is starting
    raise AssertionError("aid run did not answer")


def _person(base: str, area_id: int, n: int, results: dict, barrier: threading.Barrier) -> None:
    session = requests.Session()
    html = session.get(f"{base}/help", timeout=30).text
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
    barrier.wait()  # everyone starts posting together
    for i in range(EACH):
        data = {"csrf_token": token, "category": "legal", "urgency": "now", "language": "es",
                "contact_method": "sms", "phone": "(202) 555-0188", "consent": "y",
                "area": str(area_id), "details": f"load marker {n}-{i}"}
        try:
            response = session.post(f"{base}/help", data=data, timeout=60,
                                    allow_redirects=False)
            results[(n, i)] = response.status_code
        except requests.RequestException as exc:
            results[(n, i)] = repr(exc)


def test_twenty_people_a_hundred_requests_each_lose_nothing(tmp_path):
    port = _free_port()
    env = _environ(tmp_path, port)
    aid = [str(Path(sys.executable).parent / "aid")]
    subprocess.run([*aid, "db", "upgrade"], env=env, check=True, capture_output=True)
    app = create_app(make_config(tmp_path, env["AID_DATABASE_URL"]))
    with app.app_context():
        from aid.network.service import add_area

        area_id = add_area("Eastside").id
        db.engine.dispose()
    # The server's output goes to a file: a pipe nobody reads fills up and stops the server.
    log = (tmp_path / "server.log").open("w")
    server = subprocess.Popen([*aid, "run", "--port", str(port)], env=env,
                              stdout=log, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    results: dict = {}
    try:
        _wait_until_up(server, base)
        barrier = threading.Barrier(CLIENTS)
        people = [threading.Thread(target=_person, args=(base, area_id, n, results, barrier))
                  for n in range(CLIENTS)]
        for person in people:
            person.start()
        for person in people:
            person.join()
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:  # the worker threads may not stop on SIGTERM
            server.kill()
            server.wait(timeout=30)
        log.close()
    errors = {k: v for k, v in results.items() if v != 302}
    print(f"{len(results)} posts, {len(errors)} errors")
    assert len(results) == CLIENTS * EACH
    assert not errors, f"{len(errors)} of {len(results)} failed, e.g. {list(errors.items())[:3]}"
    with app.app_context():
        stored = [r.details for r in db.session.scalars(select(HelpRequest))]
    expected = {f"load marker {n}-{i}" for n in range(CLIENTS) for i in range(EACH)}
    assert len(stored) == len(expected) and set(stored) == expected  # each exactly once
