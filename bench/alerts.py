"""Alert fan-out at the sender's rate: real `aid worker --processes 2` processes, the real
twilio client, a fake Twilio in its own process (HTTP/1.1 keep-alive, 100 ms an answer).

Figures (goals in brackets):
- 10,000 recipients, no cap: seconds from approval to all handed over [<= 60 s], duplicates;
- the cap at 10, 50 and 100 per second shared by the two processes: achieved rate [within
  5 %] and the most texts in any one second [never above the cap];
- first text after approval at 100,000 recipients [<= 1 s];
- worker peak RSS at 10,000 and at 100,000 recipients, after the same 10,000 texts [<= 1.2x].

On SQLite by default; AID_BENCH_DATABASE_URL (PostgreSQL) and AID_BENCH_REDIS_URL (the queue
and the shared cap in Redis) to measure those. A quicker run:
    python -m bench.alerts --small 2000 --large 20000 --caps 10,50 --cap-seconds 4
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from flask import Flask
from sqlalchemy import insert, text

from bench._server import bench_app
from bench._twilio import TwilioProcess
from tests.measure import child_pids, most_in_one_second

LATENCY = 0.1
PROCESSES = 2
THREADS = 2  # huey threads per process: one fan-out job each
CONCURRENCY = 32
AID = str(Path(sys.executable).with_name("aid"))


def _settings(twilio: TwilioProcess, keys: dict[str, str]) -> dict[str, str]:
    return {**keys, "AID_SMS_BACKEND": "twilio", "TWILIO_ACCOUNT_SID": "AC" + "0" * 32,
            "TWILIO_AUTH_TOKEN": "bench-token", "TWILIO_FROM_NUMBER": "+12025550100",
            "TWILIO_API_BASE": twilio.url, "AID_PUBLIC_URL": "https://aid.example.org",
            "AID_ALERT_APPROVAL_THRESHOLD": str(10**9),
            "AID_ALERT_JOBS": str(PROCESSES * THREADS),
            "AID_ALERT_CONCURRENCY": str(CONCURRENCY),
            "AID_REDIS_URL": os.environ.get("AID_BENCH_REDIS_URL", "")}


def _subscribers(small: int, large: int) -> None:
    """`large` subscribers who want police alerts; the first `small` also enforcement ones.
    Inserted directly, a thousand to a statement."""
    from aid.extensions import db
    from aid.phones import phone_index
    from aid.sms.models import Subscriber, SubscriberTopic

    for first in range(0, large, 1000):
        rows = []
        for i in range(first, min(large, first + 1000)):
            number = f"+1{202 + i // 10000:03d}555{i % 10000:04d}"
            rows.append({"id": i + 1, "phone": number, "phone_index": phone_index(number),
                         "language": "es" if i % 3 == 0 else "en", "status": "active",
                         "source": "web"})
        db.session.execute(insert(Subscriber), rows)
        db.session.execute(insert(SubscriberTopic), [
            {"subscriber_id": row["id"], "topic": "police"} for row in rows] + [
            {"subscriber_id": row["id"], "topic": "enforcement"} for row in rows
            if row["id"] <= small])
        db.session.commit()


class Workers:
    """`aid worker --processes 2` on the bench's database and queue."""

    def __init__(self, app: Flask, env: dict[str, str], log: Path) -> None:
        full = {**os.environ, **env, "AID_ENV": "development",
                "AID_INSTANCE_PATH": app.config["INSTANCE_PATH"],
                "AID_DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"]}
        with log.open("ab") as out:
            self.proc = subprocess.Popen(  # noqa: S603
                [AID, "worker", "--processes", str(PROCESSES), "--workers", str(THREADS)],
                env=full, stdout=out, stderr=subprocess.STDOUT)

    def children(self) -> list[int]:
        return child_pids(self.proc.pid)

    def peak_rss_mib(self) -> float:
        """The largest peak resident set (VmHWM) of the worker processes."""
        peaks = []
        for pid in self.children():
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peaks.append(int(line.split()[1]) / 1024)
        return max(peaks, default=float("nan"))

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                for pid in self.children():
                    os.kill(pid, signal.SIGKILL)
                self.proc.kill()
                self.proc.wait()


@contextmanager
def workers(app: Flask, env: dict[str, str], log: Path) -> Iterator[Workers]:
    running = Workers(app, env, log)
    try:
        time.sleep(3.0)  # let them start (import the app) before the clock runs
        yield running
    finally:
        running.stop()


def _alert(topic: str) -> tuple[object, object]:
    from aid.alerts import service
    from aid.auth import service as accounts
    from aid.auth.models import Role, Status

    author = accounts.create_user(f"c{time.monotonic_ns()}@bench.example", "C",
                                  Role.COORDINATOR, "x" * 20, Status.VETTED)
    alert = service.create_draft(service.Draft(
        bodies={"en": "Agents at 5th St bus stop. Stay inside.",
                "es": "Agentes en la parada de la calle 5. Quédese en casa."},
        area_ids=[], topics=[topic], severity="Severe", urgency="Immediate",
        certainty="Observed", link="", expires_hours=6, public=False,
        firsthand="bench: first-hand"), author)
    return alert, author


def _wait_for(twilio: TwilioProcess, n: int, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while twilio.count() < n:
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


def _send(twilio: TwilioProcess, topic: str, until: int,
          seconds: float) -> tuple[float, float, bool, float]:
    """Approve an alert; wait for `until` texts. Returns (first text after approval, seconds
    to `until` texts, whether they all came, seconds the approval itself took), measured on
    the wall clock like the fake's."""
    from aid.alerts import service

    alert, author = _alert(topic)
    twilio.reset()
    started = time.time()
    service.submit(alert, author)  # the threshold is out of the way: this approves it
    approval = time.time() - started
    done = _wait_for(twilio, until, seconds)
    times, _to = twilio.record()
    first = times[0] - started if times else float("nan")
    last = sorted(times)[until - 1] - started if len(times) >= until else float("nan")
    if twilio.count() < alert.recipients:  # type: ignore[attr-defined]
        service.cancel(alert, author)  # type: ignore[arg-type]
    return first, last, done, approval


def bench(small: int, large: int, caps: list[float], cap_seconds: float) -> list[str]:
    from aid import tasks
    from aid.security.keys import generate

    keys = generate()
    lines = []
    pg = os.environ.get("AID_BENCH_DATABASE_URL", "")
    env_db = {"AID_DATABASE_URL": pg} if pg else {}
    if pg:
        _reset_pg(pg)
    with TwilioProcess(delay=LATENCY) as twilio:
        settings = _settings(twilio, keys)
        with bench_app(**settings, **env_db) as app, app.app_context():
            log = Path(app.config["INSTANCE_PATH"]) / "workers.log"
            made = time.monotonic()
            _subscribers(small, large)
            where = "PostgreSQL" if pg else "SQLite"
            where += " + Redis" if settings["AID_REDIS_URL"] else ""
            lines.append(f"{where}; {large:,} subscribers set up in "
                         f"{time.monotonic() - made:.0f} s; {PROCESSES} worker processes x "
                         f"{THREADS} jobs x {CONCURRENCY} sends in flight; Twilio answers in "
                         f"{LATENCY * 1000:.0f} ms")
            tasks.huey._immediate = False  # this process only enqueues
            tasks.huey.storage = tasks.huey.create_storage()

            with workers(app, settings, log) as running:
                first, last, done, _approval = _send(twilio, "enforcement", small, 600)
                _times, to = twilio.record()
                counts = Counter(to)
                rss_small = running.peak_rss_mib()
            lines.append(
                f"{small:,} recipients, no cap: all handed over in {last:.1f} s "
                f"({small / last:.0f}/s; goal <= 60 s at 10,000), first after {first:.2f} s; "
                f"missing {small - len(counts)}, duplicates {sum(counts.values()) - len(counts)}"
                + ("" if done else " (TIMED OUT)"))

            with workers(app, settings, log) as running:
                first_large, _last, done, approval = _send(twilio, "police", small, 600)
                rss_large = running.peak_rss_mib()
            lines.append(f"{large:,} recipients: first text {first_large:.2f} s after "
                         f"approval (goal <= 1 s; the approval itself {approval:.2f} s)")
            lines.append(f"worker peak RSS after {small:,} texts: {rss_small:.0f} MiB at "
                         f"{small:,} recipients, {rss_large:.0f} MiB at {large:,} "
                         f"({rss_large / rss_small:.2f}x; goal <= 1.2x)")

            for rate in caps:
                n = int(rate * cap_seconds)
                with workers(app, {**settings, "AID_ALERT_MPS": f"{rate:g}"}, log):
                    _send(twilio, "enforcement", n, 60 + 3 * cap_seconds)
                    times, _to = twilio.record()
                times = sorted(times)
                got = times[:n]
                achieved = (len(got) - 1) / (got[-1] - got[0]) if len(got) > 1 else 0.0
                lines.append(
                    f"cap {rate:g}/s shared by {PROCESSES} processes: achieved {achieved:.1f}/s "
                    f"({100 * (achieved / rate - 1):+.1f} %) over {len(got)} texts; most in any "
                    f"1 s: {most_in_one_second(times)} (goal <= {rate:g})")
    if pg:
        _reset_pg(pg)
    return lines


def _reset_pg(url: str) -> None:
    from sqlalchemy import create_engine

    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    engine.dispose()


def _arguments(argv: list[str]) -> argparse.Namespace:
    env = os.environ.get
    parser = argparse.ArgumentParser(prog="python -m bench.alerts")
    parser.add_argument("--small", type=int, default=int(env("AID_BENCH_ALERT_SMALL", "10000")))
    parser.add_argument("--large", type=int,
                        default=int(env("AID_BENCH_ALERT_LARGE", "100000")))
    parser.add_argument("--caps", default=env("AID_BENCH_ALERT_CAPS", "10,50,100"))
    parser.add_argument("--cap-seconds", type=float,
                        default=float(env("AID_BENCH_ALERT_CAP_SECONDS", "10")))
    return parser.parse_args(argv)


def run(argv: list[str] | None = None) -> list[str]:
    args = _arguments(argv or [])
    return bench(args.small, max(args.large, args.small),
                 [float(c) for c in args.caps.split(",") if c], args.cap_seconds)


def main() -> int:
    started = time.perf_counter()
    for line in run(sys.argv[1:]):
        print(f"   {line}", flush=True)
    print(f"   ({time.perf_counter() - started:.1f} s)", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
