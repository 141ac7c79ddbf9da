"""A person's own data: what Aid holds about them, and deleting it.

Accounts (volunteers and staff) download a JSON file and can delete the account; alert
subscribers do the same after proving the phone by SMS code. Each feature registers the
sections it adds to a download and what it deletes (`registry.on_export`, `on_forget`); this
module loops over them. Other people's personal data never goes into someone's export (a
volunteer's assigned requests appear as reference codes only): each exporter sees to that.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from flask import Response
from sqlalchemy import select

from aid.extensions import db
from aid.privacy import registry
from aid.security import audit
from aid.security.audit import AuditEvent
from aid.timeutil import utcnow

# subject -> (audit action on export, on deletion, audit record type)
AUDIT_NAMES = {registry.ACCOUNT: ("account.exported", "account.deleted", "user"),
               registry.SUBSCRIBER: ("subscriber.exported", "subscriber.deleted", "subscriber"),
               registry.REQUESTER: ("help_request.exported", "help_request.withdrawn",
                                    "help_request")}


def when(value: datetime | None) -> str | None:
    """A time as exports show it: ISO 8601 in UTC, to the second."""
    return value.isoformat(timespec="seconds") + "Z" if value else None


def export(subject: str, person: Any) -> dict[str, Any]:
    """Everything stored about this person, in a form a person can read. Commits the audit
    row (without any of the values)."""
    data: dict[str, Any] = {"exported_at": when(utcnow())}
    for exporter in registry.exporters(subject):
        data.update(exporter.export(person))
    action, _deleted, kind = AUDIT_NAMES[subject]
    actor = person.id if subject == registry.ACCOUNT else None
    audit.record(action, kind, person.id, actor_id=actor)
    db.session.commit()
    return data


def forget(subject: str, person: Any, reason: str = "") -> None:
    """Delete what every feature holds about this person, then the person's own record.
    Each forgetter commits what it must (e.g. per shift, promoting whoever waited); the
    audit row keeps the record's number only."""
    person_id = person.id
    for forgetter in registry.forgetters(subject):
        forgetter.forget(person, reason)
    _exported, action, kind = AUDIT_NAMES[subject]
    audit.record(action, kind, person_id, reason, actor_id=None)
    db.session.commit()


@registry.on_export(registry.ACCOUNT, tables=("audit_events",))
def _audit_actions(user: Any) -> dict[str, Any]:
    return {"your_actions_in_the_audit_log": [
        {"at": when(e.at), "action": e.action, "record": e.target_type, "id": e.target_id}
        for e in db.session.scalars(select(AuditEvent).where(AuditEvent.actor_id == user.id)
                                    .order_by(AuditEvent.id.desc()).limit(5000))]}


def download(data: dict[str, Any], name: str) -> Response:
    """An export as a JSON file the browser saves (and no cache keeps)."""
    body = json.dumps(data, ensure_ascii=False, indent=2)
    return Response(body, mimetype="application/json", headers={
        "Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"})
