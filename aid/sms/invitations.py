"""Alert subscribers brought over from another texting service.

Consent cannot be imported: each imported number gets one text asking whether it wants our
alerts, and becomes a subscriber only when it answers YES (SI), through the same `subscribe`
as a JOIN by text; NO answers the invitation and nothing more is sent; a number that does
not answer is never texted again. Invitations are purged once answered or expired. Numbers
that opted out (here or, as Twilio tells us, anywhere) are never invited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from aid.extensions import db
from aid.network.service import current_settings
from aid.phones import phone_index
from aid.security import audit
from aid.sms import questions, router, service, subscriptions
from aid.sms.gateway import queue_sms
from aid.sms.models import Invitation, SubscriberState
from aid.sms.questions import Question
from aid.sms.router import Inbound
from aid.timeutil import utcnow

INVITATION_TTL = timedelta(days=14)
YES_WORDS = frozenset({"YES", "SI"})
NO_WORDS = frozenset({"NO"})


class Refusal:
    """Why a number cannot be invited (codes; the import page words them)."""

    SUBSCRIBED = "subscribed"
    OPTED_OUT = "opted_out"
    INVITED = "invited"


def pending(e164: str) -> Invitation | None:
    return db.session.scalar(
        select(Invitation).where(Invitation.phone_index == phone_index(e164),
                                 Invitation.answered_at.is_(None),
                                 Invitation.expires_at > utcnow())
        .order_by(Invitation.id.desc()).limit(1))


def refusal(e164: str) -> str | None:
    """Why `e164` may not be invited, or None (found through blind indexes only)."""
    if service.is_suppressed(e164):
        return Refusal.OPTED_OUT
    sub = subscriptions.find_subscriber(e164)
    if sub is not None and sub.status == SubscriberState.ACTIVE:
        return Refusal.SUBSCRIBED
    if pending(e164) is not None:
        return Refusal.INVITED
    return None


def invitation_text(language: str) -> str:
    network = current_settings().network_name
    with force_locale(language):
        return _("%(network)s sends alerts about immigration enforcement and safety in our "
                 "neighbourhood. Reply YES to get them. If you do not reply, we will not text "
                 "you again.", network=network)


@dataclass
class Invitee:
    phone: str  # E.164
    choices: subscriptions.Choices


def invite(people: list[Invitee], actor_id: int) -> int:
    """Record an invitation per number and text each one. Returns how many were invited.
    Numbers refused since the dry run are skipped here too."""
    invited: list[Invitee] = []
    for person in people:
        if refusal(person.phone) is not None:
            continue
        db.session.add(Invitation(phone=person.phone, phone_index=phone_index(person.phone),
                                  choices=person.choices.to_json(),
                                  expires_at=utcnow() + INVITATION_TTL))
        invited.append(person)
    audit.record("subscriber.invited", None, None, f"{len(invited)} imported numbers",
                 actor_id=actor_id)
    db.session.commit()
    for person in invited:
        queue_sms(person.phone, invitation_text(person.choices.language), purpose="invitation")
    return len(invited)


QUESTION = "invitation"


@questions.on_question(QUESTION)
def open_invitation(phone: str, _now: datetime) -> Question | None:
    row = pending(phone)
    if row is None:
        return None
    return Question(QUESTION, row.created_at, lambda: _(
        "Our invitation to get alerts still waits for your answer: text YES again to get "
        "them."))


def _answered(inbound: Inbound, now: datetime) -> Invitation | None:
    """The pending invitation this short YES or NO answers, marked answered (not committed);
    None when the text is someone else's: longer than an answer, no invitation waiting, or
    another question we texted them is more recent."""
    if len(inbound.words) > 3:
        return None
    row = pending(inbound.phone)
    if row is None or not questions.is_newest(QUESTION, inbound.phone, now):
        return None
    row.answered_at = now
    return row


@router.on_answer(*YES_WORDS)
def answer_invitation(inbound: Inbound) -> str | None | router.Pass:
    """YES from an invited number: subscribe it with the choices the import gave it. When
    another question we texted them is more recent, the YES is that one's (see
    `aid.sms.questions`); the reply names any question still open."""
    now = utcnow()
    row = _answered(inbound, now)
    if row is None:
        return router.PASS
    choices = subscriptions.Choices.from_json(row.choices)
    sub = subscriptions.subscribe(inbound.phone, choices, "import")  # commits the answer too
    with force_locale(sub.language):
        return questions.with_still_open(subscriptions.welcome_text(sub), inbound.phone, now,
                                         QUESTION)


@router.on_answer(*NO_WORDS)
def decline_invitation(inbound: Inbound) -> str | None | router.Pass:
    """NO from an invited number, when the invitation is the newest question we texted it:
    the invitation is answered and nothing more is sent (a NO meant for the invitation must
    not drop the volunteer's shift)."""
    now = utcnow()
    row = _answered(inbound, now)
    if row is None:
        return router.PASS
    audit.record("subscriber.invitation_declined", "sms_invitation", row.id)
    db.session.commit()
    with force_locale(subscriptions.Choices.from_json(row.choices).language):
        return questions.with_still_open(
            _("Thank you for answering. We will not send you alerts."), inbound.phone, now,
            QUESTION)
