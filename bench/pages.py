"""Foundation figures: page throughput over a real socket, and the cost of a password check."""

from __future__ import annotations

import time
from pathlib import Path

from bench._server import bench_app, fetch, live, throughput


def run() -> list[str]:
    lines = []
    with bench_app() as app, live(app) as base:
        for path in ("/healthz", "/", "/login"):
            size = fetch(base + path)
            rate = throughput(lambda p=path: fetch(base + p), total=400, clients=8)
            lines.append(f"GET {path:9} {rate:7.0f} req/s  (8 clients, {size:,} bytes)")
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
