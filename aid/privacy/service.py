"""Retention: each kind of record is deleted once it is older than the period an admin set.

Each feature registers a purger for each kind it keeps (`registry.on_purge`; several features
may share a kind), returning how many rows went (or would go, with `dry_run`). The periodic
job and `aid purge` both call `purge_all`; the counts are logged, never the content. Rows are
deleted, not flagged: on SQLite `secure_delete` overwrites them on disk, on PostgreSQL
autovacuum reclaims the space (see docs/operations.md for VACUUM FULL).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import ColumnElement, Select, delete, func, select

from aid.extensions import db
from aid.privacy import registry
from aid.privacy.models import RETENTION_DEFAULTS
from aid.privacy.retention import current_retention, retention_days, save_retention
from aid.security import audit
from aid.security.audit import AuditEvent
from aid.timeutil import utcnow

__all__ = ["RETENTION_DEFAULTS", "count", "current_retention", "delete_where", "purge_all",
           "retention_days", "save_retention"]

BATCH = 500


def count(query: Select) -> int:
    return db.session.scalar(select(func.count()).select_from(query.subquery())) or 0


def delete_where(model: type[Any], condition: ColumnElement[bool], dry_run: bool) -> int:
    """Delete matching rows in batches (a long purge must not hold one huge transaction)."""
    if dry_run:
        return count(select(model.id).where(condition))
    total = 0
    while True:
        ids = list(db.session.scalars(select(model.id).where(condition).limit(BATCH)))
        if not ids:
            return total
        db.session.execute(delete(model).where(model.id.in_(ids)))
        db.session.commit()
        total += len(ids)


@registry.on_purge("audit", tables=("audit_events",))
def purge_audit(cutoff: datetime, dry_run: bool = False) -> int:
    return delete_where(AuditEvent, AuditEvent.at <= cutoff, dry_run)


def purge_all(dry_run: bool = False, now: datetime | None = None,
              kinds: list[str] | None = None) -> dict[str, int]:
    """Run every kind's purgers (or count, with `dry_run`); returns {kind: rows}, summed over
    the kind's purgers."""
    now = now or utcnow()
    settings = current_retention()
    counts: dict[str, int] = {}
    for kind in RETENTION_DEFAULTS:  # the admin page's order, whatever the import order
        purgers = registry.purgers(kind)
        if not purgers or (kinds is not None and kind not in kinds):
            continue
        cutoff = now - timedelta(days=getattr(settings, kind))
        counts[kind] = sum(purger.purge(cutoff, dry_run) for purger in purgers)
    if not dry_run:
        removed = {k: n for k, n in counts.items() if n}
        if removed:
            # Numbers only: what kind of record and how many, never which or what they said.
            audit.record("retention.purged", None, None,
                         ", ".join(f"{k} {n}" for k, n in removed.items()))
            db.session.commit()
        current_app.logger.info("retention purge: %s", counts)
    return counts
