"""Shared pieces for the list benchmarks: a database per size, rows seeded in bulk in SQL,
a signed-in staff client, the deep page reached by "Older" links, and the report lines.

Rows are made by one INSERT ... SELECT over a generated series of `i` (a recursive CTE on
SQLite, generate_series on PostgreSQL), in batches: a million rows in seconds, with the same
encrypted value on every row where a column is encrypted.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import Flask, g
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text

from aid.auth.models import User
from aid.extensions import db
from bench._server import interleaved, statements
from tests.helpers import AidTest

BATCH = 200_000


def database(folder: str, name: str) -> str:
    """A fresh database: a new SQLite file in `folder`, or the emptied PostgreSQL database
    of AID_BENCH_DATABASE_URL."""
    pg = os.environ.get("AID_BENCH_DATABASE_URL", "")
    if not pg:
        return f"sqlite:///{Path(folder) / f'{name}-{time.monotonic_ns()}.db'}"
    engine = create_engine(pg)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    engine.dispose()
    return pg


def padded(prefix: str, width: int) -> str:
    """SQL for `prefix` followed by `i` zero-padded to `width` digits."""
    if db.engine.dialect.name == "postgresql":
        return f"'{prefix}' || lpad(i::text, {width}, '0')"
    return f"printf('{prefix}%0{width}d', i)"


def minutes_ago() -> str:
    """SQL for a timestamp `:n - i` minutes ago (UTC, naive): row `n` is the newest."""
    if db.engine.dialect.name == "postgresql":
        return "((now() AT TIME ZONE 'utc') - (:n - i) * interval '1 minute')"
    return ("(strftime('%Y-%m-%d %H:%M:%S', 'now', printf('-%d minutes', :n - i)) "
            "|| '.000000')")


def encrypted(column: Any, value: str) -> Any:
    """`value` as an Encrypted column stores it (to bind as a parameter)."""
    return column.type.process_bind_param(value, db.engine.dialect)


def insert_series(table: str, columns: str, values: str, n: int, **params: Any) -> None:
    """INSERT INTO `table` (`columns`) one row per i in 1..n, `values` an SQL expression
    list over `i` (and `:n` and `params`), committed every BATCH rows."""
    if db.engine.dialect.name == "postgresql":
        sql = (f"INSERT INTO {table} ({columns}) SELECT {values} "  # noqa: S608 (constants)
               "FROM generate_series(CAST(:start AS integer), CAST(:stop AS integer)) AS i")
    else:
        sql = (f"INSERT INTO {table} ({columns}) WITH RECURSIVE seq(i) AS "  # noqa: S608
               "(SELECT :start UNION ALL SELECT i + 1 FROM seq WHERE i < :stop) "
               f"SELECT {values} FROM seq")
    for start in range(1, n + 1, BATCH):
        db.session.execute(text(sql), {"start": start, "stop": min(n, start + BATCH - 1),
                                       "n": n, **params})
        db.session.commit()


def _fresh_g() -> None:
    for name in list(vars(g)):
        delattr(g, name)


def signed_in(app: Flask, user: User) -> FlaskClient:
    """A test client signed in as `user` (inside the app context the seeding holds)."""
    client = app.test_client()
    # Requests inside a held app context share its `g` (and the CSRF token cached there):
    # give each sign-in step a fresh one, as a server would.
    hooks = app.before_request_funcs.setdefault(None, [])
    hooks.insert(0, _fresh_g)
    try:
        AidTest().sign_in(client, user)
    finally:
        hooks.remove(_fresh_g)
    return client


def getter(client: FlaskClient) -> Callable[[str], str]:
    """GET a page that must answer 200; returns its HTML."""

    def get(path: str) -> str:
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        return response.get_data(as_text=True)

    return get


def older(get: Callable[[str], str], path: str, hops: int) -> str:
    """The page `hops` "Older" links after `path` (or the last one there is): keyset links
    where the list has them, page numbers otherwise."""
    html = get(path)
    for _ in range(hops):
        found = re.search(r'<a rel="next" href="([^"]+)"', html)
        if not found:
            break
        path = found.group(1).replace("&amp;", "&")
        html = get(path)
    return path


def rows_shown(html: str) -> int:
    """Rows of the page's list (table rows but the header, or list cards)."""
    return max(0, html.count("<tr") - html.count("<thead")) or html.count('class="card')


def size_lines(n: int, noun: str, url: str, seeded: float,
               result: dict[str, tuple[float, float, int, int]],
               base: dict[str, tuple[float, float, int, int]], base_n: int) -> list[str]:
    """The report for one size: per page CPU and wall ms, the ratio bare / page, growth
    against the smallest size (in ms, and in units of the bare app), statements sent and
    rows shown."""
    bare_cpu, bare_wall, _s, _r = result["bare"]
    lines = [f"{n:>9,} {noun} ({'PostgreSQL' if 'postgres' in url else 'SQLite'}, seeded in "
             f"{seeded:.0f} s); bare app {bare_cpu * 1000:.2f} ms CPU, "
             f"{bare_wall * 1000:.2f} ms wall"]
    for name, (cpu, wall, sql, rows) in result.items():
        if name == "bare":
            continue
        growth = cpu / base[name][0]
        # The same growth in units of the bare app's cost at each size: the machine's load
        # moves between two sizes' runs, and this figure does not move with it.
        relative = (cpu / bare_cpu) / (base[name][0] / base["bare"][0])
        lines.append(f"  {name:24} {cpu * 1000:6.1f} ms CPU {wall * 1000:6.1f} ms wall"
                     f"  ratio {bare_cpu / cpu:.3f} CPU, {bare_wall / wall:.3f} wall"
                     f"  x{growth:.2f} CPU (x{relative:.2f} of bare) vs {base_n:,}"
                     f"  {sql} SQL  {rows} rows")
    return lines


def measured(app: Flask, calls: dict[str, Callable[[], str]],
             rounds: int) -> dict[str, tuple[float, float, int, int]]:
    """Per call: median CPU and wall seconds (taken in turns with the others), the SQL
    statements one call sends and the rows its page shows. `calls` holds "bare" too."""
    timed = interleaved(calls, rounds)
    with app.app_context():
        engine = db.engine
    # Outside the app context: requests made inside one would share its `g` (and the user
    # signed in there).
    sent = {name: statements(engine, call) for name, call in calls.items()}
    return {name: (cpu, wall, sent[name], rows_shown(calls[name]()) if name != "bare" else 0)
            for name, (cpu, wall) in timed.items()}
