"""The coordinators' triage list at 1,000 / 100,000 / 1,000,000 requests, against a bare
Flask + SQLAlchemy `SELECT 1` app on the same database, taken in turns in the same run.

Requests are seeded in bulk in SQL (INSERT ... SELECT over a generated series), with the same
encrypted `details` value on every row; 5 % open, the rest ended, as a network accumulates
over years. Figures: CPU and wall time per request (median), the ratio bare / page (the
issue's goal: >= 0.05 at every size), CPU growth against the smallest size (<= 1.5x at
1,000,000), the SQL statement count and the rows the page shows (at 1,000 requests a
filtered or deep page is not full, so compare its growth with that in mind; "page 5" is full
at every size). On SQLite by default; on PostgreSQL with
AID_BENCH_DATABASE_URL (the database is emptied). Sizes: AID_BENCH_TRIAGE_SIZES=1000,100000.

    python -m bench triage
"""

from __future__ import annotations

import os
import tempfile
import time

from flask import Flask

from bench._seed import (
    database,
    encrypted,
    getter,
    insert_series,
    measured,
    minutes_ago,
    older,
    padded,
    signed_in,
    size_lines,
)
from bench._server import bare_app, bench_app

SIZES = [int(n) for n in os.environ.get("AID_BENCH_TRIAGE_SIZES",
                                        "1000,100000,1000000").split(",")]
ROUNDS = int(os.environ.get("AID_BENCH_TRIAGE_ROUNDS", "15"))
# Vetted volunteers (AID_BENCH_TRIAGE_VOLUNTEERS); past 50 the queue's "Assigned to" menu
# names only those the page shows, so 1,000 should cost what 20 do.
VOLUNTEERS = int(os.environ.get("AID_BENCH_TRIAGE_VOLUNTEERS", "20"))

# Status by id: 1 in 20 open (spread over the open states), the rest ended.
_STATUS = """CASE WHEN i % 20 = 0 THEN 'new' WHEN i % 20 = 1 THEN 'triaged'
  WHEN i % 100 = 2 THEN 'assigned' WHEN i % 100 = 22 THEN 'in_progress'
  WHEN i % 100 = 42 THEN 'waiting' WHEN i % 7 = 0 THEN 'closed_spam'
  WHEN i % 11 = 0 THEN 'closed_duplicate' WHEN i % 13 = 0 THEN 'closed_withdrawn'
  ELSE 'resolved' END"""
# By i / 20, so that the open requests (chosen by i % 20) have every category too.
_CATEGORY = """CASE (i / 20) % 8 WHEN 0 THEN 'legal' WHEN 1 THEN 'medical' WHEN 2 THEN 'housing'
  WHEN 3 THEN 'food' WHEN 4 THEN 'money' WHEN 5 THEN 'accompaniment' WHEN 6 THEN 'safety'
  ELSE 'other' END"""
_COLUMNS = ("id, code, status_token_hash, status, category, urgency, area_id, language, "
            "contact_method, channel, details, assignee_id, created_at, handled_at")


def _seed(n: int) -> str:
    """Areas, a coordinator and volunteers, then `n` requests; returns the coordinator's
    e-mail."""
    from aid.auth import service as accounts
    from aid.auth.models import Role, Status
    from aid.extensions import db
    from aid.hotline.models import HelpRequest
    from aid.network.models import Area
    from tests.helpers import PASSWORD

    areas = [Area(name=f"Area {i}") for i in range(8)]
    db.session.add_all(areas)
    coordinator = accounts.create_user("coordinator@bench.example", "Coordinator",
                                       Role.COORDINATOR, PASSWORD, Status.VETTED)
    accounts.enrol_totp_now(coordinator)
    people = [accounts.create_user(f"v{i}@bench.example", f"Volunteer {i}", Role.VOLUNTEER,
                                   PASSWORD, Status.VETTED) for i in range(VOLUNTEERS)]
    db.session.commit()
    assignee = (f"CASE WHEN i % 100 IN (2, 22, 42) THEN :first_user + (i % {VOLUNTEERS}) "
                "ELSE NULL END")
    values = (f"i, {padded('B', 7)}, {padded('', 64)}, {_STATUS}, {_CATEGORY}, 1 + i % 3, "
              ":first_area + i % 8, CASE WHEN i % 3 = 0 THEN 'es' ELSE 'en' END, "
              f"'sms', 'web', :details, {assignee}, {minutes_ago()}, {minutes_ago()}")
    insert_series("help_requests", _COLUMNS, values, n, first_area=areas[0].id,
                  first_user=people[0].id,
                  details=encrypted(HelpRequest.__table__.c.details,
                                    "We have no food until Friday"))
    return coordinator.email


def _measure(app: Flask, n: int, database_url: str) -> dict[str, tuple[float, float, int, int]]:
    from aid import statistics
    from aid.auth.models import Role, User
    from aid.extensions import db

    with app.app_context():
        started = time.perf_counter()
        email = _seed(n)
        seeded = time.perf_counter() - started
        statistics.refresh()  # what the hourly job does
        user = db.session.scalar(db.select(User).where(User.role == Role.COORDINATOR))
        assert user is not None and user.email == email
        get = getter(signed_in(app, user))
    bare = getter(bare_app(database_url).test_client())
    page5 = older(get, "/coordinator/requests", 4)
    deep = older(get, "/coordinator/requests", 39)
    calls = {"bare": lambda: bare("/"),
             "queue": lambda: get("/coordinator/requests"),
             "queue status=new": lambda: get("/coordinator/requests?status=new"),
             "queue category=food": lambda: get("/coordinator/requests?category=food"),
             "queue page 5": lambda: get(page5),
             "queue page 40": lambda: get(deep)}
    result = measured(app, calls, ROUNDS)
    result["_seeded"] = (seeded, 0.0, 0, 0)
    return result


def run() -> list[str]:
    from aid.extensions import db
    from tests.helpers import KEYS

    lines: list[str] = []
    by_size: dict[int, dict[str, tuple[float, float, int, int]]] = {}
    with tempfile.TemporaryDirectory() as folder:
        for n in SIZES:
            url = database(folder, "triage")
            with bench_app(AID_DATABASE_URL=url, **KEYS) as app:
                by_size[n] = result = _measure(app, n, url)
                with app.app_context():
                    db.engine.dispose()
            seeded = result.pop("_seeded")[0]
            lines += size_lines(n, "requests", url, seeded, result, by_size[SIZES[0]],
                                SIZES[0])
    return lines


if __name__ == "__main__":
    for line in run():
        print(line)
