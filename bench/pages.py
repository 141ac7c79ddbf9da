"""The public pages against a bare Flask + SQLAlchemy `SELECT 1` app, in the same run.

Pages: `/healthz`, the anonymous `/board` with 100,000 posts, a board search, and `POST /help`
(the public hotline form, answered with its redirect). The figure that holds on a busy
machine is the ratio: the bare app's CPU per request divided by the page's (the issue's
goals: `/healthz` >= 0.6, `/board` >= 0.3, search and `POST /help` >= 0.15), with the SQL
statement count of one request (at most 5 per public page) and its Python function calls
(which, unlike time, do not move with the machine's load). The board's short page cache is
bypassed for the main figures (each call a new query string) and shown apart as "cached".

Two ways to serve them, both in turns (a batch of each page, again and again) so a
neighbour's burst of load falls on all of them alike:

- `gunicorn` (the default): the app and the bare app each under gunicorn with the same
  settings (one sync worker), requests sent over HTTP from this process, and each worker's
  own CPU time read from /proc before and after every batch;
- `inprocess`: both through Flask's test client in this process (HTTP and the server left
  out, so the pages' share of the cost shows more).

SQL statements and Python calls are counted in this process with the test client either way.

    python -m bench pages                  AID_BENCH_PAGES_MODE=gunicorn|inprocess|both
    python -m bench --quick pages          fewer rounds (AID_BENCH_PAGES_ROUNDS, default 20)
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable, Iterator
from itertools import count
from pathlib import Path
from urllib.parse import urlencode

from flask import Flask
from flask.testing import FlaskClient

from bench._server import bare_app, bench_app, interleaved, python_calls, statements

QUICK = bool(os.environ.get("AID_BENCH_QUICK"))
ROUNDS = int(os.environ.get("AID_BENCH_PAGES_ROUNDS", "4" if QUICK else "20"))
MODE = os.environ.get("AID_BENCH_PAGES_MODE", "gunicorn")
BATCH = 10  # requests per page per turn under gunicorn
POSTS = 20_000 if QUICK and not os.environ.get("AID_BENCH_PAGES_POSTS") else int(
    os.environ.get("AID_BENCH_PAGES_POSTS", "100000"))
TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
# Per-client limits out of the way, and the website's hourly share of requests above what the
# run sends (a few hundred): every POST /help still counts this hour's requests, as on a live
# site near its share.
LIMITS = {"AID_HOTLINE_LIMIT": "100000 per minute", "AID_LOGIN_LIMIT": "100000 per minute",
          "AID_HOTLINE_QUEUE_PER_HOUR": "100000"}
BOARD = f"/board ({POSTS:,} posts)"


def _ok(response: object, *codes: int) -> object:
    status = getattr(response, "status_code", None) or getattr(response, "status", None)
    assert status in codes, status
    return response


def _form(area: int, token: str) -> dict[str, str]:
    return {"csrf_token": token, "category": "food", "urgency": "days", "area": str(area),
            "language": "en", "contact_method": "check_back",
            "details": "We have no food until Friday", "consent": "y"}


def _in_process(app: Flask, area: int) -> dict[str, Callable[[], object]]:
    """Each page as one test-client call (the same calls the counts are taken with)."""
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    anonymous, asker = app.test_client(), app.test_client(use_cookies=False)
    bare = bare_app(url).test_client()
    shown = asker.get("/help")
    token = TOKEN.search(shown.get_data(as_text=True))
    assert token, "no CSRF token on /help"
    form = _form(area, token.group(1))
    # Each POST sends the session the form was shown in, as under gunicorn below: the
    # confirmations it flashes are not piled up in the cookie (a person's next page shows
    # and clears each one).
    cookie = {"Cookie": (shown.headers.get("Set-Cookie") or "").split(";", 1)[0]}
    fresh = count()

    def get(client: FlaskClient, path: str) -> Callable[[], object]:
        return lambda: _ok(client.get(path), 200)

    def uncached(path: str) -> Callable[[], object]:
        # A query string never seen before: the page is built, not taken from the cache.
        sep = "&" if "?" in path else "?"
        return lambda: _ok(anonymous.get(f"{path}{sep}n={next(fresh)}"), 200)

    return {
        "bare SELECT 1": get(bare, "/"),
        "/healthz": get(anonymous, "/healthz"),
        BOARD: uncached("/board"),
        "/board cached": get(anonymous, "/board"),
        "/board?q=rice+family": uncached("/board?q=rice+family"),
        "POST /help": lambda: _ok(asker.post("/help", data=form, headers=cookie), 302),
    }


def _served(app: Flask, area: int) -> Iterator[dict[str, tuple[float, int]]]:
    """Worker CPU seconds and request counts per page, both apps under gunicorn."""
    from bench._gunicorn import served

    env = {**LIMITS, "AID_INSTANCE_PATH": app.instance_path,
           "AID_DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
           "AID_SECRET_KEY": app.config["SECRET_KEY"], "AID_DATA_KEYS": app.config["DATA_KEYS"],
           "AID_INDEX_KEY": app.config["INDEX_KEY"]}
    with served("bench._wsgi:bare()", env) as bare, served("bench._wsgi:pages()", env) as aid:
        page = aid.request("GET", "/help")
        cookie = (page.getheader("Set-Cookie") or "").split(";", 1)[0]
        # The token is in the page: fetch it again with the body kept.
        import http.client

        connection = http.client.HTTPConnection("127.0.0.1", aid.port, timeout=60)
        connection.request("GET", "/help", headers={"Host": "localhost", "Cookie": cookie})
        answer = connection.getresponse()
        cookie = (answer.getheader("Set-Cookie") or "").split(";", 1)[0] or cookie
        token = TOKEN.search(answer.read().decode())
        connection.close()
        assert token, "no CSRF token on /help"
        body = urlencode(_form(area, token.group(1))).encode()
        post_headers = {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"}
        fresh = count()

        def get(server: object, path: str, fresh_query: bool = False) -> Callable[[], object]:
            def call() -> object:
                full = path
                if fresh_query:
                    full += ("&" if "?" in path else "?") + f"n={next(fresh)}"
                return _ok(server.request("GET", full), 200)  # type: ignore[attr-defined]
            return call

        calls: dict[str, tuple[object, Callable[[], object]]] = {
            "bare SELECT 1": (bare, get(bare, "/")),
            "/healthz": (aid, get(aid, "/healthz")),
            BOARD: (aid, get(aid, "/board", fresh_query=True)),
            "/board cached": (aid, get(aid, "/board")),
            "/board?q=rice+family": (aid, get(aid, "/board?q=rice+family", fresh_query=True)),
            "POST /help": (aid, lambda: _ok(aid.request("POST", "/help", body, post_headers),
                                            302)),
        }
        for _server, call in calls.values():
            for _ in range(3):
                call()  # warm caches and compiled statements
        totals = {name: [0.0, 0] for name in calls}
        for _ in range(ROUNDS):
            for name, (server, call) in calls.items():
                before = server.cpu()  # type: ignore[attr-defined]
                for _ in range(BATCH):
                    call()
                totals[name][0] += server.cpu() - before  # type: ignore[attr-defined]
                totals[name][1] += BATCH
        yield {name: (float(cpu), int(n)) for name, (cpu, n) in totals.items()}


def run() -> list[str]:
    from bench.board import _seed

    lines = [f"load average {Path('/proc/loadavg').read_text().split()[0:3]}"
             if Path("/proc/loadavg").exists() else "load average unknown"]
    with bench_app(**LIMITS) as app:
        from aid import tasks

        tasks.huey.immediate = False  # as deployed, and as under gunicorn (bench._wsgi)
        url = app.config["SQLALCHEMY_DATABASE_URI"]
        with app.app_context():
            from aid import statistics
            from aid.extensions import db

            started = time.perf_counter()
            area = _seed(POSTS)["area"]
            statistics.refresh()
            lines.append(f"seeded {POSTS:,} posts in {time.perf_counter() - started:.0f} s "
                         f"(SQLite, {Path(url.removeprefix('sqlite:///')).name})")
        calls = _in_process(app, area)
        for call in calls.values():
            call()  # the first call builds what later ones reuse (and fills the page cache)
        with app.app_context():
            engine = db.engine
        # Outside the app context: each request its own, as on a server.
        sql = {name: statements(engine, call) for name, call in calls.items()
               if name != "bare SELECT 1"}
        python = {name: python_calls(call) for name, call in calls.items()}
        figures: dict[str, dict[str, float]] = {}
        if MODE in ("gunicorn", "both"):
            for totals in _served(app, area):
                figures["gunicorn"] = {name: cpu / n for name, (cpu, n) in totals.items()}
        if MODE in ("inprocess", "both"):
            timed = interleaved(calls, ROUNDS)
            figures["in-process"] = {name: cpu for name, (cpu, _wall) in timed.items()}
        engine.dispose()
        for mode, cpu in figures.items():
            bare_cpu = cpu.pop("bare SELECT 1")
            lines.append(f"[{mode}] bare Flask + SQLAlchemy SELECT 1: {bare_cpu * 1000:.2f} ms "
                         f"CPU per request, {python['bare SELECT 1']:,} Python calls")
            for name, page_cpu in cpu.items():
                lines.append(f"[{mode}] {name:22} {page_cpu * 1000:6.2f} ms CPU"
                             f"  ratio {bare_cpu / page_cpu:.2f}  {sql[name]} SQL"
                             f"  {python[name]:6,} Python calls")
    lines.append(f"load average after {Path('/proc/loadavg').read_text().split()[0:3]}"
                 if Path("/proc/loadavg").exists() else "")
    if not QUICK:
        with bench_app() as app, app.app_context():
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
