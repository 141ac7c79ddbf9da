"""The public pages against a bare Flask + SQLAlchemy `SELECT 1` app, in the same run.

Pages: `/healthz`, the anonymous `/board` with 100,000 posts, a board search, and `POST /help`
(the public hotline form, answered with its redirect). Both apps are called through Flask's
test client in this process, in turns (one call of each, again and again), so a neighbour's
burst of load falls on all of them alike; the figure that holds on a busy machine is the
ratio: the bare app's CPU per request divided by the page's (the issue's goals: `/healthz`
>= 0.6, `/board` >= 0.3, search and `POST /help` >= 0.15), with the SQL statement count of
one request (at most 5 per public page) and its Python function calls (which, unlike time,
do not move with the machine's load). The board's short page cache is bypassed for the
main figures (each call a new query string) and shown apart as "cached".

    python -m bench pages            AID_BENCH_PAGES_ROUNDS=20 (default)
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable
from itertools import count
from pathlib import Path

from flask.testing import FlaskClient

from bench._server import bare_app, bench_app, interleaved, python_calls, statements

ROUNDS = int(os.environ.get("AID_BENCH_PAGES_ROUNDS", "20"))
POSTS = 100_000
TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def _ok(response: object, *codes: int) -> object:
    status = response.status_code  # type: ignore[attr-defined]
    assert status in codes, status
    return response


def run() -> list[str]:
    from bench.board import _seed

    lines: list[str] = []
    # One client posts the form again and again: raise its per-client limit for the run.
    with bench_app(AID_HOTLINE_LIMIT="100000 per minute") as app:
        url = app.config["SQLALCHEMY_DATABASE_URI"]
        with app.app_context():
            from aid.board.moderation import refresh_planner_stats
            from aid.extensions import db

            started = time.perf_counter()
            area = _seed(POSTS)["area"]
            refresh_planner_stats()
            lines.append(f"seeded {POSTS:,} posts in {time.perf_counter() - started:.0f} s "
                         f"(SQLite, {Path(url.removeprefix('sqlite:///')).name})")
        anonymous, asker = app.test_client(), app.test_client()
        bare = bare_app(url).test_client()
        token = TOKEN.search(asker.get("/help").get_data(as_text=True))
        assert token, "no CSRF token on /help"
        form = {"csrf_token": token.group(1), "category": "food", "urgency": "days",
                "area": str(area), "language": "en", "contact_method": "check_back",
                "details": "We have no food until Friday", "consent": "y"}
        fresh = count()

        def get(client: FlaskClient, path: str) -> Callable[[], object]:
            return lambda: _ok(client.get(path), 200)

        def uncached(path: str) -> Callable[[], object]:
            # A query string never seen before: the page is built, not taken from the cache.
            sep = "&" if "?" in path else "?"
            return lambda: _ok(anonymous.get(f"{path}{sep}n={next(fresh)}"), 200)

        calls = {
            "bare SELECT 1": get(bare, "/"),
            "/healthz": get(anonymous, "/healthz"),
            "/board (100,000 posts)": uncached("/board"),
            "/board cached": get(anonymous, "/board"),
            "/board?q=rice+family": uncached("/board?q=rice+family"),
            "POST /help": lambda: _ok(asker.post("/help", data=form), 302),
        }
        timed = interleaved(calls, ROUNDS)
        with app.app_context():
            engine = db.engine
        # Outside the app context: each request its own, as on a server.
        sql = {name: statements(engine, call) for name, call in calls.items()
               if name != "bare SELECT 1"}
        python = {name: python_calls(call) for name, call in calls.items()}
        engine.dispose()
        bare_cpu, bare_wall = timed.pop("bare SELECT 1")
        lines.append(f"bare Flask + SQLAlchemy SELECT 1: {bare_cpu * 1000:.2f} ms CPU, "
                     f"{bare_wall * 1000:.2f} ms wall per request ({ROUNDS * 3} rounds), "
                     f"{python['bare SELECT 1']:,} Python calls")
        for name, (cpu, wall) in timed.items():
            lines.append(f"{name:24} {cpu * 1000:6.2f} ms CPU {wall * 1000:6.2f} ms wall"
                         f"  ratio {bare_cpu / cpu:.2f} CPU  {sql[name]} SQL"
                         f"  {python[name]:6,} Python calls")
    with bench_app() as app:
        with app.app_context():
            from argon2 import PasswordHasher

            hasher = PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1)
            started = time.perf_counter()
            for _ in range(5):
                hasher.hash("a realistic passphrase")
            cost = (time.perf_counter() - started) / 5
            lines.append(f"argon2id, OWASP parameters (m=19 MiB, t=2, p=1): {cost * 1000:.0f} ms")
        css = Path(app.static_folder or "") / "aid.css"
        lines.append(f"stylesheet: {css.stat().st_size:,} bytes, no scripts")
    return lines


if __name__ == "__main__":
    for line in run():
        print(line)
