"""The only place notifications reach the SMS gateway: adapt here if its API changes.

Texts go through the gateway's public queue function, so a number that texted STOP (or that
Twilio reported as unsubscribed) is never texted, whichever notification asked.
"""

from __future__ import annotations

from dataclasses import dataclass

from aid.sms.gateway import queue_sms

PURPOSE = "notify"


@dataclass
class Handed:
    status: str  # the gateway's status: queued/sent (handed over), suppressed, failed
    message_id: int


def send_text(phone: str, body: str) -> Handed:
    msg = queue_sms(phone, body, purpose=PURPOSE)
    return Handed(msg.status, msg.id)
