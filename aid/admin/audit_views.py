"""The audit log pages: the filtered list, and who opened many sensitive records this week."""

from __future__ import annotations

from datetime import timedelta

from flask import current_app, render_template, request
from flask.typing import ResponseReturnValue
from sqlalchemy import Select, func, select

from aid.admin import bp
from aid.admin.audit_labels import action_label, type_label
from aid.auth.models import User
from aid.extensions import db
from aid.pagination import paginate
from aid.security import access, audit
from aid.security.access import Level
from aid.security.audit import AuditEvent
from aid.security.numbers import bounded_int
from aid.timeutil import utcnow


@bp.route("/audit")
@access.rule(Level.ADMIN)
def audit_log() -> ResponseReturnValue:
    query, args = audit_filters()
    page = paginate(query, count_query=_countable(query, args["action"]))
    actors = {u.id: u for u in db.session.scalars(
        select(User).where(User.id.in_({e.actor_id for e in page.items if e.actor_id})))}
    return render_template("admin/audit.html", page=page, actors=actors, args=args,
                           action=args["action"], action_label=action_label,
                           type_label=type_label)


@bp.route("/audit/unusual")
@access.rule(Level.ADMIN)
def audit_unusual() -> ResponseReturnValue:
    """The last 7 days: who opened more sensitive records than the threshold."""
    since = utcnow() - timedelta(days=7)
    threshold = current_app.config["AUDIT_UNUSUAL_VIEWS"]
    rows = db.session.execute(
        select(AuditEvent.actor_id, func.count(AuditEvent.id),
               func.count(func.distinct(AuditEvent.target_id)))
        .where(AuditEvent.at >= since, AuditEvent.action.like("%.viewed"),
               AuditEvent.actor_id.is_not(None))
        .group_by(AuditEvent.actor_id).having(func.count(AuditEvent.id) > threshold)
        .order_by(func.count(AuditEvent.id).desc())).all()
    people = {u.id: u for u in db.session.scalars(
        select(User).where(User.id.in_([r[0] for r in rows])))}
    audit.record("audit.summary_viewed", None, None)
    db.session.commit()
    return render_template("admin/audit_unusual.html", rows=rows, people=people,
                           threshold=threshold, since=since)


def _countable(query: Select[tuple[AuditEvent]],
               prefix: str) -> Select[tuple[AuditEvent]] | None:
    """The filtered list for its count, on SQLite: the action's prefix also as a range, which
    walks ix_audit_events_action from the prefix on. SQLite cannot use the index for
    `LIKE :prefix || '%'` (LIKE ignores case, the index does not) and reads the index from
    its first entry: for an action late in the alphabet, most of the log. The page itself
    keeps walking the log newest first. (PostgreSQL plans the count well as it is; a range
    there would follow the database's collation, not the prefix.)"""
    if not prefix or db.engine.dialect.name != "sqlite":
        return None
    # SQLite compares text byte by byte: every string that starts with `prefix` sorts at or
    # after it and before `prefix` followed by the last code point.
    start = prefix.lower()  # as LIKE matches it: every action is written in lower case
    return query.where(AuditEvent.action >= start, AuditEvent.action < start + "\U0010ffff")


def audit_filters() -> tuple[Select[tuple[AuditEvent]], dict[str, str]]:
    """The audit list's query with the filters in the address (action, person, record)."""
    query = select(AuditEvent).order_by(AuditEvent.id.desc())
    args = {k: request.args.get(k, "").strip()[:64] for k in ("action", "actor", "type", "id")}
    if args["action"]:
        # Every action is written in lower case: a prefix typed in any case finds it, on
        # PostgreSQL as on SQLite (whose LIKE ignores case).
        query = query.where(AuditEvent.action.startswith(args["action"].lower()))
    if (actor := bounded_int(args["actor"])) is not None:
        query = query.where(AuditEvent.actor_id == actor)
    if args["type"]:
        query = query.where(AuditEvent.target_type == args["type"])
    if (target := bounded_int(args["id"])) is not None:
        query = query.where(AuditEvent.target_id == target)
    return query, args
