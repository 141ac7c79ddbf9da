"""The panic wipe: erase every person's data at once (or one area's), keep only counts.

Deny by default: every table is emptied except the few listed in `KEPT_TABLES`, which hold
the network's own settings and no person. A feature that adds a table is therefore wiped
with the rest without anyone remembering to list it (a test checks that no table with an
encrypted column is kept). The accounts table is emptied too, except, for a wipe started
from the web, the admin who started it (so they can see it worked and hand the network on).
"""

from __future__ import annotations

from typing import Any

from flask import current_app
from sqlalchemy import Table, delete, func, select

from aid.extensions import db
from aid.privacy import registry
from aid.privacy.models import WipeCount
from aid.security import audit

# The network itself: no person's data in any of these.
KEPT_TABLES = frozenset({
    "alembic_version", "network_settings", "areas", "shift_kind_defaults", "worker_beats",
    "retention_settings", "wipe_counts",
})


def _tables_to_empty() -> list[Table]:
    """Children before parents, so foreign keys never block a delete."""
    return [t for t in reversed(db.metadata.sorted_tables) if t.name not in KEPT_TABLES]


def _count(table: Table, where: Any = None) -> int:
    query = select(func.count()).select_from(table)
    if where is not None:
        query = query.where(where)
    return db.session.scalar(query) or 0


def wipe_all(keep_user_id: int | None = None) -> dict[str, int]:
    """Delete every row of every personal table in one transaction; returns {table: rows}."""
    counts: dict[str, int] = {}
    for table in _tables_to_empty():
        where = None
        if keep_user_id is not None and table.name == "users":
            where = table.c.id != keep_user_id
        elif keep_user_id is not None and table.name == "recovery_codes":
            where = table.c.user_id != keep_user_id  # the keeper can still sign in
        counts[table.name] = _count(table, where)
        statement = delete(table) if where is None else delete(table).where(where)
        db.session.execute(statement)
    _finish("all", counts, keep_user_id)
    return counts


def areas() -> list[tuple[int, str]]:
    """(id, name) of every area, from the table itself (privacy imports no feature)."""
    table = db.metadata.tables["areas"]
    return [(row.id, row.name) for row in db.session.execute(
        select(table.c.id, table.c.name).order_by(table.c.name))]


def wipe_area(area_id: int, keep_user_id: int | None = None) -> dict[str, int]:
    """Delete one area's records: each feature registers what that means for its tables
    (`registry.on_area_wipe`). Accounts are not tied to one area, so they stay."""
    name = dict(areas()).get(area_id)
    if name is None:
        raise ValueError("no such area")
    counts: dict[str, int] = {}
    for hook in registry.AREA_WIPES.values():
        counts.update(hook.wipe(area_id))
    _finish(f"area {name}"[:90], counts, keep_user_id)
    return counts


def _finish(scope: str, counts: dict[str, int], actor_id: int | None) -> None:
    db.session.add_all(WipeCount(scope=scope, table_name=name, rows=n)
                       for name, n in counts.items() if n)
    total = sum(counts.values())
    audit.record("privacy.wiped", None, None, f"{scope}: {total} rows", actor_id=actor_id)
    db.session.commit()
    db.session.expunge_all()  # nothing deleted may linger in the session's memory
    if db.engine.dialect.name == "sqlite":
        # Fold the write-ahead log into the file, so the old pages are overwritten there too.
        # Outside any transaction: a checkpoint cannot run inside one.
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    current_app.logger.warning("panic wipe (%s): %d rows deleted", scope, total)


def history() -> list[WipeCount]:
    return list(db.session.scalars(select(WipeCount).order_by(WipeCount.id.desc()).limit(200)))
