"""Board throughput with 100,000 posts, next to /healthz of the same app, as a ratio.

Seeds a temporary SQLite database in bulk (encrypted columns and word hashes included, as the
app writes them), then times pages with Flask's test client: no socket, so the figures are the
app's own cost. Run with `make bench` or `python -m bench.board`.
"""

from __future__ import annotations

import random
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from sqlalchemy import insert

POSTS = 100_000
REQUESTS = 150
COMMON = ["rice", "beans", "groceries", "diapers", "coat", "ride", "clinic", "court", "school",
          "room", "crib", "blankets", "tortillas", "milk", "medicine", "forms", "lawyer", "bus",
          "stroller", "heater", "shoes", "laptop", "phone", "saturday", "weekday", "morning",
          "evening", "spanish", "english", "family", "kids", "baby", "elderly"]
RARE = [f"item{n}" for n in range(5_000)]  # stands in for the long tail of real words
WORDS = COMMON + RARE


def _seed(n: int) -> dict[str, int]:
    from aid.board.models import CATEGORIES, Post, PostStatus, PostWord
    from aid.board.words import WORD_CONTEXT
    from aid.extensions import db
    from aid.network.models import Area
    from aid.security.crypto import blind_index
    from aid.timeutil import utcnow

    rng = random.Random(5)
    areas = [Area(name=f"Area {i}") for i in range(8)]
    db.session.add_all(areas)
    db.session.commit()
    hashed = {w: blind_index(w, WORD_CONTEXT) for w in WORDS}
    now = utcnow()
    batch, words = 5_000, []
    for start in range(0, n, batch):
        rows, words = [], []
        for i in range(start, min(start + batch, n)):
            chosen = rng.sample(COMMON, 4) + rng.sample(RARE, 2)
            rows.append({
                "id": i + 1, "kind": rng.choice(("need", "offer")),
                "category": rng.choice(CATEGORIES), "area_id": rng.choice(areas).id,
                "title": " ".join(chosen[:3]).capitalize(), "description": " ".join(chosen),
                "status": PostStatus.OPEN if rng.random() < 0.9 else PostStatus.EXPIRED,
                "flag_count": 0, "created_at": now - timedelta(minutes=n - i),
                "updated_at": now, "expires_at": now + timedelta(days=14)})
            words.extend({"word": hashed[w], "post_id": i + 1} for w in chosen)
        db.session.execute(insert(Post), rows)
        db.session.execute(insert(PostWord), words)
    db.session.commit()
    return {"area": areas[0].id}


def _rate(call: Callable[[], object], total: int = REQUESTS) -> float:
    call()  # warm caches and compiled statements
    started = time.perf_counter()
    for _ in range(total):
        call()
    return total / (time.perf_counter() - started)


def run() -> list[str]:
    from flask_migrate import upgrade

    from aid import create_app
    from config import TestConfig

    lines: list[str] = []
    with tempfile.TemporaryDirectory() as folder:
        app = create_app(TestConfig({"AID_INSTANCE_PATH": folder,
                                     "AID_DATABASE_URL": f"sqlite:///{Path(folder) / 'b.db'}"}))
        app.config["RATELIMIT_ENABLED"] = False
        app.config["PAGE_CACHE_SECONDS"] = 0  # the cost of building pages (cached: bench pages)
        with app.app_context():
            upgrade()
            started = time.perf_counter()
            ids = _seed(POSTS)
            lines.append(f"seeded {POSTS:,} posts in {time.perf_counter() - started:.1f} s")
            from aid import statistics

            started = time.perf_counter()
            statistics.refresh()  # what the hourly job does
            took = time.perf_counter() - started
            lines.append(f"planner statistics (hourly job) in {took:.2f} s")
        client = app.test_client()

        def get(path: str) -> Callable[[], object]:
            def call() -> object:
                response = client.get(path)
                assert response.status_code == 200, (path, response.status_code)
                return response

            return call

        base = _rate(get("/healthz"))
        lines.append(f"GET /healthz{'':34} {base:7.0f} req/s")
        for path in ("/board", f"/board?category=food&area={ids['area']}",
                     "/board?q=rice+family", "/board?q=item42",
                     "/board?page=3000", "/board/feed.atom"):
            rate = _rate(get(path))
            lines.append(f"GET {path:42} {rate:7.0f} req/s  ratio to /healthz {rate / base:.2f}")
    return lines


if __name__ == "__main__":
    for line in run():
        print(line)
