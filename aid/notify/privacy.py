"""What notifications keep about people, registered with privacy: notices are purged after
their retention period; an account's own data includes its choices and the notices it was
sent (kinds and times, never the address); deleting the account deletes both (the foreign
keys cascade). Notices are not filed by area: the full wipe empties them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, select

from aid.extensions import db
from aid.notify.models import Notification, Preference
from aid.privacy import registry
from aid.privacy.owndata import when
from aid.privacy.service import delete_where

TABLES = ("notifications", "notify_preferences")

for _table in TABLES:
    registry.not_covered(_table, registry.AREA_WIPE,
                         "notices and choices are not filed by area; the full wipe empties them")
registry.not_covered("notify_preferences", registry.PURGE,
                     "a person's own choices, kept while their account exists (deleted with it)")


@registry.on_purge("notifications", tables=("notifications",))
def purge_notifications(cutoff: datetime, dry_run: bool = False) -> int:
    return delete_where(Notification, Notification.created_at <= cutoff, dry_run)


@registry.on_export(registry.ACCOUNT, tables=TABLES)
def export_notifications(user: Any) -> dict[str, Any]:
    pref = db.session.get(Preference, user.id)
    sent = db.session.scalars(select(Notification).where(Notification.user_id == user.id)
                              .order_by(Notification.id.desc()).limit(5000))
    return {"notification_choices": None if pref is None else {
                "channels": pref.channels, "quiet_start_minutes": pref.quiet_start,
                "quiet_end_minutes": pref.quiet_end, "language": pref.locale,
                "on_duty_days": pref.on_duty_days},
            "notifications_sent_to_you": [
                {"kind": n.kind, "channel": n.channel, "state": n.state,
                 "at": when(n.sent_at or n.created_at)} for n in sent]}


@registry.on_forget(registry.ACCOUNT, tables=TABLES, order=40)
def forget_notifications(user: Any, _reason: str) -> None:
    db.session.execute(delete(Notification).where(Notification.user_id == user.id))
    db.session.execute(delete(Preference).where(Preference.user_id == user.id))
