"""Planner statistics for the tables that staff lists and public pages walk by index.

Without statistics SQLite takes an equality on any indexed column for selective, so it may
read every open post to find a rare search word, or sort every account instead of walking
the sign-up order; PostgreSQL's autovacuum keeps its own, but after a bulk load it guesses
until it catches up. Each feature names its tables once, beside the queries that need them
(`keep_statistics("board_posts", "board_words")`); one hourly job refreshes them all, and the
benchmarks and plan tests call `refresh()` as that job would.
"""

from __future__ import annotations

from huey import crontab
from sqlalchemy import text

from aid.extensions import db
from aid.tasks import at_worker_start, periodic

_TABLES: list[str] = []


def keep_statistics(*tables: str) -> None:
    """Declare tables whose statistics the hourly job keeps fresh."""
    _TABLES.extend(t for t in tables if t not in _TABLES)


def kept() -> tuple[str, ...]:
    return tuple(_TABLES)


def refresh(*tables: str) -> None:
    """ANALYZE the named tables (every declared one if none is named), then commit."""
    for table in tables or _TABLES:
        if table not in _TABLES:  # only names declared in code ever reach the SQL
            raise ValueError(f"{table} is not declared with keep_statistics")
    # Whole tables, not SQLite's sampled ANALYZE (analysis_limit): on a sample the planner
    # walked 100,000 volunteers and every closed post where the full figures avoid it.
    for table in tables or _TABLES:
        db.session.execute(text(f"ANALYZE {table}"))
    db.session.commit()


# Hourly, and as soon as a worker starts: a new install or an upgrade has plans to go by
# from its first hour, not after it.
@at_worker_start
@periodic(crontab(minute="37"))
def refresh_planner_statistics() -> None:
    refresh()
