"""The coordinators' triage list at 1,000 / 100,000 / 1,000,000 requests, against a bare
Flask + SQLAlchemy `SELECT 1` app on the same database, taken in turns in the same run.

Requests are seeded in bulk in SQL (INSERT ... SELECT over a generated series), with the same
encrypted `details` value on every row; 5 % open, the rest ended, as a network accumulates
over years. Figures: CPU and wall time per request (median), the ratio bare / page (the
issue's goal: >= 0.05 at every size), growth against the smallest size (<= 1.5x at
1,000,000) and the SQL statement count. On SQLite by default; on PostgreSQL with
AID_BENCH_DATABASE_URL (the database is emptied). Sizes: AID_BENCH_TRIAGE_SIZES=1000,100000.

    python -m bench triage
"""

from __future__ import annotations

import os
import re
import tempfile
import time
from pathlib import Path

from flask import Flask
from sqlalchemy import text

from bench._server import bare_app, bench_app, interleaved, statements

SIZES = [int(n) for n in os.environ.get("AID_BENCH_TRIAGE_SIZES",
                                        "1000,100000,1000000").split(",")]
ROUNDS = int(os.environ.get("AID_BENCH_TRIAGE_ROUNDS", "15"))
VOLUNTEERS = 20

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


def _seed_sql(dialect: str) -> str:
    assignee = (f"CASE WHEN i % 100 IN (2, 22, 42) THEN :first_user + (i % {VOLUNTEERS}) "
                "ELSE NULL END")
    values = (f"i, {{code}}, {{digest}}, {_STATUS}, {_CATEGORY}, 1 + i % 3, "
              f":first_area + i % 8, CASE WHEN i % 3 = 0 THEN 'es' ELSE 'en' END, "
              f"'sms', 'web', :details, {assignee}, {{when}}, {{when}}")
    if dialect == "postgresql":
        values = values.format(
            code="'B' || lpad(i::text, 7, '0')", digest="lpad(i::text, 64, '0')",
            when="(now() AT TIME ZONE 'utc') - (:n - i) * interval '1 minute'")
        return (f"INSERT INTO help_requests ({_COLUMNS}) SELECT {values} "  # noqa: S608 (constants)
                "FROM generate_series(:start, :stop) AS i")
    values = values.format(
        code="printf('B%07d', i)", digest="printf('%064d', i)",
        when="strftime('%Y-%m-%d %H:%M:%S', 'now', printf('-%d minutes', :n - i)) "
             "|| '.000000'")
    return (f"INSERT INTO help_requests ({_COLUMNS}) WITH RECURSIVE seq(i) AS "  # noqa: S608
            "(SELECT :start UNION ALL SELECT i + 1 FROM seq WHERE i < :stop) "
            f"SELECT {values} FROM seq")


def _seed(n: int) -> tuple[str, str]:
    """Areas, a coordinator and volunteers, then `n` requests; returns the coordinator's
    e-mail and the encrypted details."""
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
    details = HelpRequest.__table__.c.details.type.process_bind_param(
        "We have no food until Friday", db.engine.dialect)
    sql = text(_seed_sql(db.engine.dialect.name))
    batch = 200_000
    for start in range(1, n + 1, batch):
        db.session.execute(sql, {"start": start, "stop": min(n, start + batch - 1), "n": n,
                                 "first_area": areas[0].id, "first_user": people[0].id,
                                 "details": details})
        db.session.commit()
    return coordinator.email, details


def _measure(app: Flask, n: int, database_url: str) -> dict[str, tuple[float, float, int]]:
    from aid.extensions import db
    from tests.helpers import AidTest

    with app.app_context():
        started = time.perf_counter()
        email, _details = _seed(n)
        seeded = time.perf_counter() - started
        from aid.hotline import queries

        if hasattr(queries, "refresh_planner_stats"):
            queries.refresh_planner_stats()  # what the hourly hotline job does
        from aid.auth.models import Role, User

        user = db.session.scalar(db.select(User).where(User.role == Role.COORDINATOR))
        assert user is not None and user.email == email
        client = app.test_client()
        # Requests inside a held app context share its `g` (and the CSRF token cached there):
        # give each sign-in step a fresh one, as a server would.
        hooks = app.before_request_funcs.setdefault(None, [])
        hooks.insert(0, _fresh_g)
        AidTest().sign_in(client, user)
        hooks.remove(_fresh_g)
    bare = bare_app(database_url).test_client()

    def get(path: str, who: object = client) -> object:
        response = who.get(path)  # type: ignore[attr-defined]
        assert response.status_code == 200, (path, response.status_code)
        return response

    first = get("/coordinator/requests").get_data(as_text=True)  # type: ignore[attr-defined]
    deep = "/coordinator/requests?page=40"
    for _ in range(39):  # follow "Older" 39 times when the list has keyset links
        found = re.search(r'<a rel="next" href="([^"]+)"', first)
        if not found:
            break
        deep = found.group(1).replace("&amp;", "&")
        first = get(deep).get_data(as_text=True)  # type: ignore[attr-defined]
    calls = {"bare": lambda: get("/", bare),
             "queue": lambda: get("/coordinator/requests"),
             "queue status=new": lambda: get("/coordinator/requests?status=new"),
             "queue category=food": lambda: get("/coordinator/requests?category=food"),
             "queue page 40": lambda: get(deep)}
    timed = interleaved(calls, ROUNDS)
    with app.app_context():
        counts = {name: statements(db.engine, call) for name, call in calls.items()
                  if name != "bare"}
    result = {name: (cpu, wall, counts.get(name, 1)) for name, (cpu, wall) in timed.items()}
    result["_seeded"] = (seeded, 0.0, 0)
    return result


def _fresh_g() -> None:
    from flask import g

    for name in list(vars(g)):
        delattr(g, name)


def _database(folder: str) -> str:
    pg = os.environ.get("AID_BENCH_DATABASE_URL", "")
    if not pg:
        return f"sqlite:///{Path(folder) / f'triage-{time.monotonic_ns()}.db'}"
    from sqlalchemy import create_engine

    engine = create_engine(pg)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    engine.dispose()
    return pg


def run() -> list[str]:
    from tests.helpers import KEYS

    lines: list[str] = []
    by_size: dict[int, dict[str, tuple[float, float, int]]] = {}
    with tempfile.TemporaryDirectory() as folder:
        for n in SIZES:
            url = _database(folder)
            with bench_app(AID_DATABASE_URL=url, **KEYS) as app:
                by_size[n] = result = _measure(app, n, url)
                with app.app_context():
                    from aid.extensions import db

                    db.engine.dispose()
            bare_cpu, bare_wall, _s = result["bare"]
            lines.append(f"{n:>9,} requests ({'PostgreSQL' if 'postgres' in url else 'SQLite'}"
                         f", seeded in {result['_seeded'][0]:.0f} s); bare app "
                         f"{bare_cpu * 1000:.2f} ms CPU, {bare_wall * 1000:.2f} ms wall")
            base = by_size[SIZES[0]]
            for name, (cpu, wall, sql) in result.items():
                if name.startswith("_") or name == "bare":
                    continue
                growth = wall / base[name][1]
                lines.append(f"  {name:22} {cpu * 1000:7.1f} ms CPU {wall * 1000:7.1f} ms wall"
                             f"  ratio {bare_cpu / cpu:.3f} CPU, {bare_wall / wall:.3f} wall"
                             f"  x{growth:.2f} wall vs {SIZES[0]:,}  {sql} SQL")
    return lines


if __name__ == "__main__":
    for line in run():
        print(line)
