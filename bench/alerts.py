"""Alert fan-out: 10,000 subscribers, the real twilio client against the fake Twilio server
answering in 100 ms, on SQLite (and PostgreSQL when AID_BENCH_DATABASE_URL is set).

Figures: messages per second, time from approval to the first message and to all sent,
duplicates (must be 0 without a crash), and the rate achieved under an MPS cap.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections import Counter

from flask import Flask
from sqlalchemy import insert, text

from bench._server import bench_app
from tests.fakes.fake_twilio import FakeTwilio

RECIPIENTS = int(os.environ.get("AID_BENCH_ALERT_RECIPIENTS", "10000"))
LATENCY = 0.1


def _env(fake: FakeTwilio, **extra: str) -> dict[str, str]:
    return {"AID_SMS_BACKEND": "twilio", "TWILIO_ACCOUNT_SID": "AC" + "0" * 32,
            "TWILIO_AUTH_TOKEN": "bench-token", "TWILIO_FROM_NUMBER": "+12025550100",
            "TWILIO_API_BASE": fake.url, "AID_PUBLIC_URL": "https://aid.example.org",
            "AID_ALERT_APPROVAL_THRESHOLD": str(10**9), "AID_ALERT_JOBS": "1", **extra}


def _subscribers(n: int) -> None:
    from aid.extensions import db
    from aid.phones import phone_index
    from aid.sms.models import Subscriber, SubscriberTopic

    for first in range(0, n, 1000):  # in chunks: the set-up must not be what grows
        rows = []
        for i in range(first, min(n, first + 1000)):
            number = f"+1{202 + i // 10000:03d}555{i % 10000:04d}"
            rows.append({"id": i + 1, "phone": number, "phone_index": phone_index(number),
                         "language": "es" if i % 3 == 0 else "en", "status": "active",
                         "source": "web"})
        db.session.execute(insert(Subscriber), rows)
        db.session.execute(insert(SubscriberTopic), [
            {"subscriber_id": row["id"], "topic": "enforcement"} for row in rows])
        db.session.commit()


def _fan_out(app: Flask, fake: FakeTwilio, n: int) -> list[str]:
    from aid.alerts import service
    from aid.auth import service as accounts
    from aid.auth.models import Role, Status

    with app.app_context():
        _subscribers(n)
        author = accounts.create_user("c@bench.example", "C", Role.COORDINATOR, "x" * 20,
                                      Status.VETTED)
        alert = service.create_draft(service.Draft(
            bodies={"en": "Agents at 5th St bus stop. Stay inside.",
                    "es": "Agentes en la parada de la calle 5. Quédese en casa."},
            area_ids=[], topics=["enforcement"], severity="Severe", urgency="Immediate",
            certainty="Observed", link="", expires_hours=6, public=False,
            firsthand="bench: first-hand"), author)
        fake.reset()
        started = time.monotonic()
        service.submit(alert, author)  # immediate mode: the fan-out job runs here
        elapsed = time.monotonic() - started
        first = (fake.times[0] - started) if fake.times else float("nan")
        to = Counter(form["To"] for form in fake.sent)
        missing = n - len(to)
        duplicates = sum(c - 1 for c in to.values())
        return [f"{n} recipients: {n / elapsed:.0f} msg/s, all handed over in {elapsed:.1f} s, "
                f"first after {first:.2f} s; missing {missing}, duplicates {duplicates}"]


def _cap(app: Flask, fake: FakeTwilio, n: int, mps: float) -> list[str]:
    app.config["ALERT_MPS"] = mps
    lines = _fan_out(app, fake, n)
    times = sorted(fake.times)
    rate = (len(times) - 1) / (times[-1] - times[0]) if len(times) > 1 else 0
    return [f"cap {mps:.0f}/s: achieved {rate:.1f}/s ({100 * (rate / mps - 1):+.1f} %); "
            + lines[0]]


def _run_on(label: str, fake: FakeTwilio, **env: str) -> list[str]:
    lines = []
    pg = env.get("AID_DATABASE_URL", "")
    if pg:
        _reset_pg(pg)
    with bench_app(**_env(fake, AID_ALERT_CONCURRENCY="32", **env)) as app:
        fake.delay = LATENCY
        lines += [f"{label}, Twilio answering in {LATENCY * 1000:.0f} ms, 32 parallel: " + line
                  for line in _fan_out(app, fake, RECIPIENTS)]
    if pg:
        _reset_pg(pg)
    with bench_app(**_env(fake, AID_ALERT_CONCURRENCY="8", **env)) as app:
        fake.delay = 0.0
        lines += [f"{label}: " + line for line in _cap(app, fake, 300, 50.0)]
    return lines


def _peak_rss(fake: FakeTwilio, n: int) -> int:
    """Peak RSS (KiB) of a separate worker process fanning out to `n` (the fake Twilio stays
    in this process, so what it records is not counted)."""
    code = ("import resource, sys; from bench import alerts; alerts._rss_child(sys.argv[1], "
            "int(sys.argv[2])); print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)")
    out = subprocess.run([sys.executable, "-c", code, fake.url, str(n)], check=True,  # noqa: S603
                         capture_output=True, text=True).stdout
    return int(out.split()[-1])


class _Remote:
    """The parent's fake Twilio as the child sees it: only its address."""

    def __init__(self, url: str) -> None:
        self.url, self.times, self.sent = url, [], []

    def reset(self) -> None:
        pass


def _rss_child(url: str, n: int) -> None:
    fake = _Remote(url)
    with bench_app(**_env(fake, AID_ALERT_CONCURRENCY="32")) as app:  # type: ignore[arg-type]
        _fan_out(app, fake, n)  # type: ignore[arg-type]


def memory() -> list[str]:
    fake = FakeTwilio().start()
    try:
        small, large = _peak_rss(fake, 2000), _peak_rss(fake, 10000)
    finally:
        fake.stop()
    return [f"worker peak RSS: {small / 1024:.0f} MiB at 2,000 recipients, "
            f"{large / 1024:.0f} MiB at 10,000 ({100 * (large / small - 1):+.1f} %)"]


def run() -> list[str]:
    fake = FakeTwilio().start()
    try:
        lines = memory() + _run_on("SQLite", fake)
        pg = os.environ.get("AID_BENCH_DATABASE_URL", "")
        if pg:
            lines += _run_on("PostgreSQL", fake, AID_DATABASE_URL=pg)
        return lines
    finally:
        fake.stop()


def _reset_pg(url: str) -> None:
    from sqlalchemy import create_engine

    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    engine.dispose()
