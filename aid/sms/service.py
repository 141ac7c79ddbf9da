"""SMS rules shared by the gateway, the webhooks and the subscriptions: the suppression list,
delivery status updates, and inbound idempotency.

Opt-out is absolute: `is_suppressed` is checked by `gateway.send_sms` at creation and again
just before the provider is called, so no feature can reach a number that said STOP.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from aid.extensions import db
from aid.phones import phone_index
from aid.privacy.service import purge_all
from aid.security import audit
from aid.sms.models import (
    InboundMessage,
    MessageState,
    OutboundMessage,
    Subscriber,
    SubscriberState,
    Suppression,
)
from aid.timeutil import utcnow

# Twilio's message statuses by how far along they are; a callback never moves a message back.
STATUS_RANK = {
    "queued": 0, "accepted": 0, "scheduled": 0, "sending": 1, "sent": 2,
    "delivered": 3, "undelivered": 3, "failed": 3, "canceled": 3, "read": 4,
}
OUR_STATUS = {  # Twilio's vocabulary folded into ours
    "accepted": MessageState.QUEUED, "scheduled": MessageState.QUEUED,
    "sending": MessageState.QUEUED, "canceled": MessageState.FAILED,
    "read": MessageState.DELIVERED,
}
FINAL = {MessageState.DELIVERED, MessageState.UNDELIVERED, MessageState.FAILED,
         MessageState.SUPPRESSED, MessageState.CANCELLED}
UNSUBSCRIBED_ERROR = 21610  # "Attempt to send to unsubscribed recipient"


# -- suppression ---------------------------------------------------------------------------

def is_suppressed(e164: str) -> bool:
    key = phone_index(e164)
    return db.session.scalar(select(Suppression.id).where(Suppression.phone_index == key)) \
        is not None


def suppress(e164: str, source: str) -> bool:
    """Add the number to the suppression list and stop its alert subscription. Commits.

    Returns True when it was not suppressed before. `source`: keyword, twilio, 21610, admin.
    """
    key = phone_index(e164)
    assert key is not None
    stop_subscriber(key)
    if db.session.scalar(select(Suppression).where(Suppression.phone_index == key)):
        db.session.commit()
        return False
    row = Suppression(phone_index=key, source=source)
    db.session.add(row)
    try:
        db.session.flush()
    except IntegrityError:  # a concurrent STOP got there first: the number is suppressed
        db.session.rollback()
        stop_subscriber(key)
        db.session.commit()
        return False
    audit.record("sms.opted_out", "suppression", row.id, source)
    db.session.commit()
    return True


def lift_suppression(e164: str, source: str) -> bool:
    """The person opted back in (START, JOIN, UNIRSE from that phone). Commits."""
    key = phone_index(e164)
    row = db.session.scalar(select(Suppression).where(Suppression.phone_index == key))
    if row is None:
        return False
    audit.record("sms.opted_in", "suppression", row.id, source)
    db.session.delete(row)
    db.session.commit()
    return True


def stop_subscriber(key: str) -> None:
    """Mark the subscriber with this phone index stopped (no commit)."""
    sub = db.session.scalar(select(Subscriber).where(Subscriber.phone_index == key))
    if sub is not None and sub.status != SubscriberState.STOPPED:
        sub.status, sub.stopped_at = SubscriberState.STOPPED, utcnow()
        audit.record("subscriber.stopped", "subscriber", sub.id)


# -- delivery status -------------------------------------------------------------------------

def apply_status(provider_sid: str, twilio_status: str, error_code: int | None) -> bool:
    """Apply a status callback. Idempotent and safe out of order: a status only moves a
    message forward (a late `sent` never overwrites `delivered`). Error 21610 means the
    recipient unsubscribed at Twilio: the number is suppressed here too. Returns True when the
    row changed."""
    msg = db.session.scalar(select(OutboundMessage).where(
        OutboundMessage.provider_sid == provider_sid))
    if msg is None or twilio_status not in STATUS_RANK:
        return False
    if error_code == UNSUBSCRIBED_ERROR:
        suppress(msg.to_number, "21610")
    new = OUR_STATUS.get(twilio_status) or MessageState(twilio_status)
    current_rank = STATUS_RANK.get(msg.status, 0)
    if msg.status in FINAL or STATUS_RANK[twilio_status] <= current_rank:
        if error_code and msg.error_code is None and new == msg.status:
            msg.error_code = error_code
            db.session.commit()
            return True
        return False
    msg.status = new
    if error_code:
        msg.error_code = error_code
    db.session.commit()
    return True


# -- inbound idempotency ---------------------------------------------------------------------

def claim_inbound(message_sid: str, e164: str) -> InboundMessage | None:
    """Record that we are handling this MessageSid; None when it was handled before (Twilio
    retries webhooks), so the caller answers with the stored reply instead. Commits."""
    row = InboundMessage(message_sid=message_sid, phone_index=phone_index(e164) or "")
    db.session.add(row)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return None
    return row


def previous_reply(message_sid: str) -> str | None:
    row = db.session.scalar(select(InboundMessage).where(
        InboundMessage.message_sid == message_sid))
    return row.reply if row else None


def finish_inbound(row_id: int, handled_as: str, reply: str | None) -> None:
    row = db.session.get(InboundMessage, row_id)
    if row is not None:
        row.handled_as, row.reply = handled_as[:16], reply
        db.session.commit()


# -- retention -------------------------------------------------------------------------------

def purge_old() -> dict[str, int]:
    """Delete inbound records, sent texts and codes past their keep period (the periods an
    admin sets on the retention page). Commits."""
    return purge_all(kinds=["sms_inbound", "sms_outbound", "codes"])
