"""What the wiring tests share that is not a fixture: what went out, read two ways."""

from __future__ import annotations

from aid.extensions import db
from aid.sms.models import OutboundMessage


def texts_to(fake, number: str) -> list[str]:
    """Bodies the fake Twilio received for `number`."""
    return [form["Body"] for form in fake.sent if form.get("To") == number]


def outbox(purpose: str) -> list[OutboundMessage]:
    return list(db.session.scalars(db.select(OutboundMessage).where(
        OutboundMessage.purpose == purpose).order_by(OutboundMessage.id)))
