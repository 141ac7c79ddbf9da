"""A fake Twilio Messages endpoint in its own process, for the fan-out benchmark: HTTP/1.1
with keep-alive (like api.twilio.com, so the worker's connection pool is what is measured),
each answer after `delay` seconds, and a record of when each request arrived (wall clock,
`time.time()`, comparable with the workers' clocks) and to whom.

    with TwilioProcess(delay=0.1) as fake:
        ...  # workers send to fake.url
        times, to = fake.record()
"""

from __future__ import annotations

import json
import secrets
import subprocess
import sys
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from urllib.parse import parse_qs


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256


def serve(delay: float) -> None:
    """Run the server (in the child process); prints its port, then serves until killed."""
    lock = threading.Lock()
    times: list[float] = []
    to: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive: one connection serves many texts

        def log_message(self, *args: object) -> None:
            pass

        def _send(self, status: int, payload: object) -> None:
            body = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            with lock:
                if self.path.endswith("/count"):
                    return self._send(200, {"count": len(times)})
                return self._send(200, {"times": times, "to": to})

        def do_DELETE(self) -> None:  # noqa: N802
            with lock:
                times.clear()
                to.clear()
            self._send(200, {})

        def do_POST(self) -> None:  # noqa: N802
            arrived = time.time()
            raw = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
            form = {k: v[0] for k, v in parse_qs(raw).items()}
            with lock:
                times.append(arrived)
                to.append(form.get("To", ""))
            time.sleep(delay)
            account = self.path.split("/")[3] if self.path.count("/") >= 4 else ""
            sid = "SM" + secrets.token_hex(16)
            self._send(201, {
                "sid": sid, "account_sid": account, "to": form.get("To"),
                "from": form.get("From"), "body": form.get("Body"), "status": "queued",
                "num_segments": "1", "direction": "outbound-api", "api_version": "2010-04-01",
                "date_created": "Tue, 24 Nov 2026 20:00:00 +0000",
                "uri": f"/2010-04-01/Accounts/{account}/Messages/{sid}.json"})

    server = _Server(("127.0.0.1", 0), Handler)
    print(server.server_address[1], flush=True)
    server.serve_forever()


class TwilioProcess:
    """The fake in a child process: `url` to send to, `record()` what it got, `reset()`."""

    def __init__(self, delay: float = 0.1) -> None:
        self.delay = delay
        self.proc: subprocess.Popen[str] | None = None
        self.url = ""

    def __enter__(self) -> TwilioProcess:
        self.proc = subprocess.Popen(  # noqa: S603
            [sys.executable, "-c", f"from bench._twilio import serve; serve({self.delay!r})"],
            stdout=subprocess.PIPE, text=True)
        assert self.proc.stdout is not None
        self.url = f"http://127.0.0.1:{int(self.proc.stdout.readline())}"
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait()

    def record(self) -> tuple[list[float], list[str]]:
        """Arrival times (wall clock) and recipients of every text so far, in order."""
        with urllib.request.urlopen(self.url + "/stats", timeout=60) as answer:  # noqa: S310
            data = json.load(answer)
        return data["times"], data["to"]

    def count(self) -> int:
        with urllib.request.urlopen(self.url + "/count", timeout=60) as answer:  # noqa: S310
            return int(json.load(answer)["count"])

    def reset(self) -> None:
        request = urllib.request.Request(self.url + "/stats", method="DELETE")  # noqa: S310
        with urllib.request.urlopen(request, timeout=60):  # noqa: S310 (loopback only)
            pass
