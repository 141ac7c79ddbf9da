"""Apps under gunicorn, and the CPU time their worker spends on a batch of requests.

The worker's CPU is read from /proc (`schedstat`: nanoseconds on a CPU; `stat` ticks where
schedstat is missing) before and after each batch, so the client's own work (this process)
is left out, as are the gunicorn master and the kernel's time spent in other processes."""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Served:
    """One gunicorn master with one sync worker, as `README.md` runs the app (one worker
    here so every request lands in the process being measured)."""

    def __init__(self, target: str, env: Mapping[str, str]) -> None:
        self.port = _free_port()
        self._process = subprocess.Popen(  # noqa: S603 (our own interpreter, fixed arguments)
            [sys.executable, "-m", "gunicorn", "--workers", "1", "--worker-class", "sync",
             "--bind", f"127.0.0.1:{self.port}", "--log-level", "warning", target],
            env={**os.environ, **env}, cwd=Path(__file__).resolve().parent.parent)
        self.worker = self._wait()

    def _wait(self) -> int:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self._process.returncode}")
            children = Path(f"/proc/{self._process.pid}/task/{self._process.pid}/children")
            pids = children.read_text().split() if children.exists() else []
            if pids:
                try:
                    with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                        return int(pids[0])
                except OSError:
                    pass
            time.sleep(0.1)
        raise RuntimeError("gunicorn did not start")

    def cpu(self) -> float:
        """Seconds of CPU the worker has used so far."""
        schedstat = Path(f"/proc/{self.worker}/schedstat")
        if schedstat.exists():
            return int(schedstat.read_text().split()[0]) / 1e9
        fields = Path(f"/proc/{self.worker}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / TICK  # utime + stime

    def request(self, method: str, path: str, body: bytes | None = None,
                headers: Mapping[str, str] | None = None) -> http.client.HTTPResponse:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        connection.request(method, path, body=body,
                           headers={"Host": "localhost", **(headers or {})})
        response = connection.getresponse()
        response.read()
        connection.close()
        return response

    def stop(self) -> None:
        self._process.terminate()
        try:
            self._process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self._process.kill()


@contextmanager
def served(target: str, env: Mapping[str, str]) -> Iterator[Served]:
    server = Served(target, env)
    try:
        yield server
    finally:
        server.stop()
