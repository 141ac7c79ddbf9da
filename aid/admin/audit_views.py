"""The audit log pages: the filtered list, and who opened many sensitive records this week."""

from __future__ import annotations

from datetime import timedelta

from flask import current_app, render_template, request
from flask.typing import ResponseReturnValue
from sqlalchemy import ColumnElement, Select, and_, false, func, select

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
    # Filtered by action: the matches are counted (up to the cap) through the index range;
    # as few they are read from it and sorted, as many by walking the log (on SQLite).
    many = (audit_filters(walk=True)[0]
            if args["action"] and db.engine.dialect.name == "sqlite" else None)
    page = paginate(query, many_query=many)
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


def _starts_with(prefix: str, walk: bool = False) -> ColumnElement[bool]:
    """Actions that start with `prefix`, as a range of ix_audit_events_action_order: the
    entries between the prefix and the prefix followed by the last code point, compared byte
    by byte (SQLite compares text so; on PostgreSQL the index's pattern operators do), which
    is exactly the actions that start with it. Every action is written in lower-case ASCII:
    a prefix typed in any case finds them, and one that is not ASCII finds none.

    `walk`: the same actions as a LIKE, which no index serves, so that SQLite walks the log
    newest first instead: sooner done than sorting the range when the matches are many.
    (SQLite keeps no statistics of which actions are rare; PostgreSQL does, and chooses.)"""
    start = prefix.lower()
    if not (start.isascii() and start.isprintable()):
        return false()
    if walk:
        return AuditEvent.action.startswith(start, autoescape=True)
    end = start + "\U0010ffff"
    if db.engine.dialect.name == "postgresql":
        return and_(AuditEvent.action.op("~>=~")(start), AuditEvent.action.op("~<~")(end))
    return and_(AuditEvent.action >= start, AuditEvent.action < end)


def audit_filters(walk: bool = False) -> tuple[Select[tuple[AuditEvent]], dict[str, str]]:
    """The audit list's query with the filters in the address (action, person, record);
    `walk`: the action prefix written for walking the log (see _starts_with)."""
    query = select(AuditEvent).order_by(AuditEvent.id.desc())
    args = {k: request.args.get(k, "").strip()[:64] for k in ("action", "actor", "type", "id")}
    if args["action"]:
        query = query.where(_starts_with(args["action"], walk))
    if (actor := bounded_int(args["actor"])) is not None:
        query = query.where(AuditEvent.actor_id == actor)
    if args["type"]:
        query = query.where(AuditEvent.target_type == args["type"])
    if (target := bounded_int(args["id"])) is not None:
        query = query.where(AuditEvent.target_id == target)
    return query, args
