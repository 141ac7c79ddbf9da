"""Hotline intake under load: 20 people submit the public form at once, on SQLite.

A real threaded server on a loopback socket (werkzeug), 20 client threads, each with its own
cookie jar: load /help (CSRF token and session cookie), post the form, follow the redirect.
Afterwards every accepted submit must be in the database exactly once (none lost, none
doubled, none stored that the client was not told about).

    python -m bench.hotline_intake
"""

from __future__ import annotations

import http.cookiejar
import re
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from werkzeug.serving import make_server

CLIENTS = 20
SUBMITS = 200
TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
AREA = re.compile(r'<option value="(\d+)">')


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *_args: object, **_kwargs: object) -> None:
        return None  # we want to see the 302 and its Location ourselves


def _client() -> urllib.request.OpenerDirector:
    return urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), _NoRedirect())


def _submit(base: str, marker: str) -> tuple[str, str | None, float]:
    """One person asking for help; returns (marker, status token or None, seconds)."""
    started = time.perf_counter()
    opener = _client()
    with opener.open(base + "/help", timeout=60) as page:
        html = page.read().decode()
    token, area = TOKEN.search(html), AREA.search(html)
    if not token or not area:
        return marker, None, time.perf_counter() - started
    form = {"csrf_token": token.group(1), "category": "food", "urgency": "days",
            "area": area.group(1), "language": "en", "contact_method": "check_back",
            "details": marker, "consent": "y"}
    body = urllib.parse.urlencode(form).encode()
    request = urllib.request.Request(base + "/help", data=body)  # noqa: S310 (loopback only)
    try:
        opener.open(request, timeout=60).close()
        return marker, None, time.perf_counter() - started  # 200/400: not accepted
    except urllib.error.HTTPError as answer:
        location = answer.headers.get("Location", "") if answer.code == 302 else ""
    found = re.search(r"/help/s/([\w-]+)$", location)
    if found:
        with opener.open(base + location, timeout=60) as page:
            page.read()
    return marker, found.group(1) if found else None, time.perf_counter() - started


def run() -> list[str]:
    from flask_migrate import upgrade

    from aid import create_app
    from aid.extensions import db
    from aid.hotline.models import HelpRequest
    from aid.hotline.service import find_by_token
    from aid.network.service import add_area
    from config import TestConfig

    with tempfile.TemporaryDirectory() as folder:
        app = create_app(TestConfig({
            "AID_INSTANCE_PATH": folder,
            "AID_DATABASE_URL": f"sqlite:///{Path(folder) / 'bench.db'}",
            # 20 clients from one address: raise the public form's limit for the run.
            "AID_HOTLINE_LIMIT": "100000 per minute",
        }))
        with app.app_context():
            upgrade()
            add_area("Riverside")
        server = make_server("127.0.0.1", 0, app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        base = f"http://127.0.0.1:{server.server_port}"
        markers = [f"bench request {n:04d}" for n in range(SUBMITS)]
        started = time.perf_counter()
        try:
            with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
                results = list(pool.map(lambda m: _submit(base, m), markers))
        finally:
            elapsed = time.perf_counter() - started
            server.shutdown()
        accepted = {marker: token for marker, token, _s in results if token}
        with app.app_context():
            stored = Counter(r.details for r in db.session.scalars(db.select(HelpRequest)))
            mismatched = sum(1 for marker, token in accepted.items()
                             if (req := find_by_token(token)) is None or req.details != marker)
            db.engine.dispose()
    lost = sum(1 for m in accepted if stored[m] == 0)
    doubled = sum(1 for n in stored.values() if n > 1)
    unannounced = sum(1 for m in stored if m not in accepted)
    slowest = max(s for _m, _t, s in results)
    ok = not (lost or doubled or unannounced or mismatched) and len(accepted) == SUBMITS
    return [
        f"intake: {SUBMITS} submits from {CLIENTS} concurrent clients on SQLite in "
        f"{elapsed:.1f} s: {SUBMITS / elapsed:.0f} submits/s (each: GET form, POST, GET status)",
        f"accepted {len(accepted)}/{SUBMITS}; in the database: {sum(stored.values())} rows; "
        f"lost {lost}, doubled {doubled}, stored but not announced {unannounced}, "
        f"wrong status link {mismatched}; slowest submit {slowest:.2f} s",
        "OK: every accepted submit is in the database exactly once" if ok else "FAILED",
    ]


if __name__ == "__main__":
    for line in run():
        print(line)
