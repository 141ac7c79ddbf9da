"""`make test-scale` runs this first: a clear message instead of a wall of failures."""

from __future__ import annotations

import os
import sys

import redis
from sqlalchemy import create_engine, text


def main() -> int:
    db_url = os.environ["AID_TEST_DATABASE_URL"]
    redis_url = os.environ["AID_TEST_REDIS_URL"]
    problems = []
    try:
        with create_engine(db_url).connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:  # noqa: BLE001 (any failure means the same: not reachable)
        problems.append(f"PostgreSQL at {db_url} is not reachable: {exc.__class__.__name__}: {exc}")
    try:
        redis.Redis.from_url(redis_url, socket_connect_timeout=3).ping()
    except Exception as exc:  # noqa: BLE001
        problems.append(f"Redis at {redis_url} is not reachable: {exc}")
    for problem in problems:
        print(f"make test-scale: {problem}", file=sys.stderr)
    if problems:
        print("Start the services or point AID_TEST_DATABASE_URL / AID_TEST_REDIS_URL at them.",
              file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
