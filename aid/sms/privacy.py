"""What SMS keeps about people, registered with privacy: the text logs, one-time codes and
subscribers who left are purged; a subscriber downloads and deletes what is held with their
number; an area wipe takes the subscribers who follow only that area."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select

from aid.extensions import db
from aid.privacy import registry
from aid.privacy.owndata import when
from aid.privacy.service import delete_where
from aid.sms.models import (
    InboundMessage,
    Invitation,
    OutboundMessage,
    Subscriber,
    VerificationCode,
    subscriber_areas,
)
from aid.timeutil import utcnow

SUBSCRIBER_TABLES = ("sms_subscribers", "sms_subscriber_topics", "sms_subscriber_areas")

for _table, _why in (
        ("sms_outbound", "texts are not filed by area; the full wipe empties them"),
        ("sms_inbound", "texts are not filed by area; the full wipe empties them"),
        ("sms_codes", "ten-minute codes, not filed by area; the full wipe empties them"),
        ("sms_invitations", "imported numbers not filed by area; the full wipe empties them"),
        ("sms_suppressions", "a STOP is kept for every area; the full wipe empties it")):
    registry.not_covered(_table, registry.AREA_WIPE, _why)
registry.not_covered("sms_suppressions", registry.PURGE,
                     "a STOP is kept for as long as Aid runs: it is what keeps any feature "
                     "from texting a phone that asked not to be (a keyed hash, no number)")
registry.not_covered("sms_suppressions", registry.OWN_DATA,
                     "kept when a subscriber deletes their data, for the same reason")


@registry.on_purge("subscribers_left", tables=SUBSCRIBER_TABLES)
def purge_subscribers_left(cutoff: datetime, dry_run: bool = False) -> int:
    return delete_where(Subscriber, (Subscriber.status != "active")
                        & Subscriber.stopped_at.is_not(None) & (Subscriber.stopped_at <= cutoff),
                        dry_run)


@registry.on_purge("sms_outbound", tables=("sms_outbound",))
def purge_sms_outbound(cutoff: datetime, dry_run: bool = False) -> int:
    return delete_where(OutboundMessage, OutboundMessage.created_at <= cutoff, dry_run)


@registry.on_purge("sms_inbound", tables=("sms_inbound",))
def purge_sms_inbound(cutoff: datetime, dry_run: bool = False) -> int:
    return delete_where(InboundMessage, InboundMessage.received_at <= cutoff, dry_run)


@registry.on_purge("codes", tables=("sms_codes", "sms_invitations"))
def purge_codes(cutoff: datetime, dry_run: bool = False) -> int:
    """One-time codes past the codes' period, and invitations of imported numbers once
    expired or answered (the answer made them a subscriber, or nothing)."""
    done = (Invitation.expires_at <= utcnow()) | Invitation.answered_at.is_not(None)
    return delete_where(VerificationCode, VerificationCode.created_at <= cutoff, dry_run) \
        + delete_where(Invitation, done, dry_run)


@registry.on_export(registry.SUBSCRIBER,
                    tables=(*SUBSCRIBER_TABLES, "sms_outbound", "sms_inbound"))
def export_subscriber(sub: Subscriber) -> dict[str, Any]:
    texts = db.session.scalars(select(OutboundMessage).where(
        OutboundMessage.to_index == sub.phone_index).order_by(OutboundMessage.id))
    return {
        "subscription": {"phone": sub.phone, "language": sub.language, "status": sub.status,
                         "areas": [a.name for a in sub.areas] or ["all"],
                         "topics": sub.topics, "subscribed_at": when(sub.created_at),
                         "confirmed_at": when(sub.confirmed_at)},
        "texts_we_sent_you": [{"at": when(m.created_at), "text": m.body, "status": m.status}
                              for m in texts],
        "texts_you_sent_us": db.session.scalar(select(func.count(InboundMessage.id)).where(
            InboundMessage.phone_index == sub.phone_index)) or 0,
    }


@registry.on_forget(registry.SUBSCRIBER,
                    tables=(*SUBSCRIBER_TABLES, "sms_codes", "sms_invitations", "sms_outbound"),
                    order=100)
def delete_subscriber(sub: Subscriber, _reason: str) -> None:
    """The subscription, its codes and the texts sent to it. A STOP on the suppression list
    stays (see above)."""
    key = sub.phone_index
    db.session.execute(delete(VerificationCode).where(VerificationCode.phone_index == key))
    db.session.execute(delete(Invitation).where(Invitation.phone_index == key))
    db.session.execute(delete(OutboundMessage).where(OutboundMessage.to_index == key))
    db.session.delete(sub)


@registry.on_area_wipe(tables=SUBSCRIBER_TABLES)
def wipe_area(area_id: int) -> dict[str, int]:
    """Subscribers who follow only this area go; others just stop following it."""
    only_here = select(subscriber_areas.c.subscriber_id).group_by(
        subscriber_areas.c.subscriber_id).having(
        func.count() == 1, func.max(subscriber_areas.c.area_id) == area_id)
    subscriber_ids = list(db.session.scalars(only_here))
    db.session.execute(delete(Subscriber).where(Subscriber.id.in_(subscriber_ids)))
    db.session.execute(delete(subscriber_areas).where(subscriber_areas.c.area_id == area_id))
    return {"sms_subscribers": len(subscriber_ids)}
