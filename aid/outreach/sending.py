"""Handing a bulk text's messages to the provider, in the background (the gateway's batch
rows were made, suppressed numbers left out, in the approving transaction)."""

from __future__ import annotations

from typing import Any

from flask import current_app
from sqlalchemy import select, update

from aid.extensions import db
from aid.outreach.models import BulkState, BulkText, BulkTextMessage
from aid.security import audit
from aid.sms import gateway
from aid.sms.backends import backend_for
from aid.sms.gateway import Prepared
from aid.sms.models import MessageState, OutboundMessage
from aid.tasks import task
from aid.timeutil import utcnow

BATCH = 50


@task()
def send_bulk(bulk_id: int) -> None:
    send_all(bulk_id)


def send_all(bulk_id: int) -> int:
    """Hand every still-queued message of a bulk text to the provider (one at a time, with
    the gateway's retries; the suppression list is asked again before a retry). Returns how
    many were handed over. Commits."""
    rows = db.session.scalars(
        select(OutboundMessage).join(BulkTextMessage,
                                     BulkTextMessage.message_id == OutboundMessage.id)
        .where(BulkTextMessage.bulk_id == bulk_id, OutboundMessage.status == MessageState.QUEUED,
               OutboundMessage.provider_sid.is_(None))
        .order_by(OutboundMessage.id)).all()
    texts = [Prepared(m.id, m.to_number, m.body, m.purpose) for m in rows]
    db.session.commit()
    backend = backend_for(current_app.config["SMS_BACKEND"])
    handed = 0
    for start in range(0, len(texts), BATCH):
        results: list[tuple[Prepared, Any]] = []
        for text in texts[start:start + BATCH]:
            attempt = gateway.send_prepared(backend, text, None)
            results.append((text, attempt))
            handed += 1 if attempt.handed_over else 0
        gateway.record_batch(results)
        db.session.commit()
        gateway.after_batch(results)
    db.session.execute(update(BulkText).where(BulkText.id == bulk_id,
                                              BulkText.status == BulkState.SENDING)
                       .values(status=BulkState.SENT, finished_at=utcnow())
                       .execution_options(synchronize_session=False))
    audit.record("outreach.sent", "bulk_text", bulk_id, f"{handed} handed over")
    db.session.commit()
    return handed
