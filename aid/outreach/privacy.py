"""What bulk texts keep, registered with privacy: the texts coordinators wrote (encrypted)
are purged in the nightly purge with the sent texts' retention period (`sms_outbound`), so a
text is gone with the messages it was sent as; an author's own-data download includes
what they wrote; deleting the account leaves the texts without an author. Phone numbers are
never kept here: they live in the gateway's message rows, purged by the SMS feature."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, select, update

from aid.extensions import db
from aid.outreach.models import BulkText, BulkTextBody, BulkTextMessage
from aid.privacy import registry
from aid.privacy.owndata import when

TABLES = ("bulk_texts", "bulk_text_bodies", "bulk_text_messages")

for _table in TABLES:
    registry.not_covered(_table, registry.AREA_WIPE,
                         "bulk texts are not filed by area; the full wipe empties them")


@registry.on_purge("sms_outbound", tables=TABLES)
def purge_sent(cutoff: datetime, dry_run: bool = False) -> int:
    """Bulk texts written before `cutoff` (the sent texts' period), with their bodies and
    links."""
    ids = list(db.session.scalars(select(BulkText.id).where(BulkText.created_at <= cutoff)))
    if dry_run or not ids:
        return len(ids)
    db.session.execute(delete(BulkTextMessage).where(BulkTextMessage.bulk_id.in_(ids)))
    db.session.execute(delete(BulkTextBody).where(BulkTextBody.bulk_id.in_(ids)))
    db.session.execute(delete(BulkText).where(BulkText.id.in_(ids)))
    db.session.commit()
    return len(ids)


@registry.on_export(registry.ACCOUNT, tables=TABLES)
def export_written(user: Any) -> dict[str, Any]:
    rows = db.session.scalars(select(BulkText).where(BulkText.author_id == user.id))
    return {"bulk_texts_you_wrote": [
        {"at": when(b.created_at), "status": b.status, "recipients": b.recipients,
         "texts": {t.language: t.body for t in b.bodies}} for b in rows]}


@registry.on_forget(registry.ACCOUNT, tables=TABLES, order=40)
def forget_author(user: Any, _reason: str) -> None:
    db.session.execute(update(BulkText).where(BulkText.author_id == user.id)
                       .values(author_id=None).execution_options(synchronize_session=False))
    db.session.execute(update(BulkText).where(BulkText.approver_id == user.id)
                       .values(approver_id=None).execution_options(synchronize_session=False))
