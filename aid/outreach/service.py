"""Bulk texts to volunteers: pick a filtered set, write per language, preview, send.

Recipients are the volunteers the filters (`aid.volunteers.search`) find, minus every number
on the SMS suppression list (STOP wins over any coordinator). Each volunteer gets the text
in their language when one was written, else the first one. The two-person rule is the
alerts' rule (`aid.security.approvals`, threshold `ALERT_APPROVAL_THRESHOLD`): above it, a
second coordinator approves, never the author; and the count that decides is the one made in the
sending transaction, so a set that grew since the preview cannot slip past the rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from aid.auth.models import User
from aid.errors import Conflict, Invalid, NotAllowed
from aid.extensions import db, rowcount
from aid.outreach import sending
from aid.outreach.models import BulkState, BulkText, BulkTextBody, BulkTextMessage
from aid.security import approvals, audit
from aid.sms import gateway
from aid.sms.gateway import Recipient
from aid.sms.models import Suppression
from aid.sms.segments import segment_info
from aid.timeutil import utcnow
from aid.volunteers.models import VolunteerProfile
from aid.volunteers.search import VolunteerFilters, volunteers_query

PURPOSE = "bulk"
MAX_RECIPIENTS = 5000
MAX_BODY = 640  # four segments of plain text: a bulk text is a note, not a letter
PREVIEW_NAMES = 50


@dataclass
class Person:
    user_id: int
    name: str
    language: str
    phone: str
    phone_index: str


@dataclass
class LanguageCount:
    language: str
    encoding: str
    segments: int
    chars: int
    recipients: int


@dataclass
class Preview:
    people: list[Person]
    opted_out: int
    languages: list[LanguageCount]
    threshold: int

    @property
    def recipients(self) -> int:
        return len(self.people)

    @property
    def needs_second(self) -> bool:
        return self.recipients > self.threshold


def threshold() -> int:
    return approvals.threshold()


def _language(user: User, profile: VolunteerProfile, bodies: dict[str, str]) -> str:
    """Their language if a text was written in it, else the first text's language."""
    first = next(iter(bodies), "en")
    for code in [user.locale or "", *profile.language_list]:
        if code in bodies:
            return code
    return first


def _people(f: VolunteerFilters, bodies: dict[str, str]) -> tuple[list[Person], int]:
    """Who would get it (phone numbers decrypted, in memory only) and how many of the
    filtered set are left out because their number opted out."""
    suppressed = select(Suppression.id).where(
        Suppression.phone_index == VolunteerProfile.phone_index).exists()
    query = volunteers_query(f).add_columns(suppressed.label("suppressed")).limit(MAX_RECIPIENTS)
    people, opted_out = [], 0
    for profile, is_suppressed in db.session.execute(query).unique():
        if is_suppressed or not profile.phone or not profile.phone_index:
            opted_out += 1 if is_suppressed else 0
            continue
        people.append(Person(profile.user_id, profile.user.display_name,
                             _language(profile.user, profile, bodies), profile.phone,
                             profile.phone_index))
    return people, opted_out


def _clean_bodies(bodies: dict[str, str]) -> dict[str, str]:
    return {code: text.strip()[:MAX_BODY] for code, text in bodies.items() if text.strip()}


def preview(f: VolunteerFilters, bodies: dict[str, str]) -> Preview:
    """Exactly who it would go to now, and what each language's text costs in segments."""
    bodies = _clean_bodies(bodies) or {"en": ""}
    people, opted_out = _people(f, bodies)
    languages = []
    for code, text in bodies.items():
        encoding, segments, chars = segment_info(text)
        languages.append(LanguageCount(code, encoding, segments, chars,
                                       sum(1 for p in people if p.language == code)))
    return Preview(people, opted_out, languages, threshold())


def filters_of(bulk: BulkText) -> VolunteerFilters:
    return VolunteerFilters.from_args(dict(parse_qsl(bulk.filters)))


def create(f: VolunteerFilters, bodies: dict[str, str], author: User) -> BulkText:
    """Save the text and ask to send it: at or under the threshold it goes now, over it it
    waits for a second coordinator. Commits; the sending itself runs in the background."""
    bodies = _clean_bodies(bodies)
    if not bodies:
        raise Invalid(message=_l("Write the text in at least one language."))
    bulk = BulkText(author_id=author.id, filters=urlencode(f.args()), status=BulkState.PENDING,
                    bodies=[BulkTextBody(language=k, body=v) for k, v in bodies.items()])
    db.session.add(bulk)
    db.session.flush()
    audit.record("outreach.written", "bulk_text", bulk.id, bulk.filters[:80])
    db.session.commit()
    if not _start_sending(bulk, author):
        audit.record("outreach.waiting", "bulk_text", bulk.id)
        db.session.commit()
    return bulk


def approve(bulk: BulkText, user: User) -> None:
    if bulk.status != BulkState.PENDING:
        raise Conflict(message=_l("This text is not waiting for approval."))
    if not approvals.may_approve(user.id, bulk.author_id, None, threshold()):
        audit.record("outreach.self_approval_refused", "bulk_text", bulk.id)
        db.session.commit()
        raise NotAllowed(message=_l("Another coordinator has to approve a text you wrote."))
    _start_sending(bulk, user)


def cancel(bulk: BulkText, user: User) -> None:
    if bulk.status != BulkState.PENDING:
        raise Conflict(message=_l("Only a text waiting for approval can be cancelled."))
    bulk.status = BulkState.CANCELLED
    audit.record("outreach.cancelled", "bulk_text", bulk.id, actor_id=user.id)
    db.session.commit()


def _start_sending(bulk: BulkText, approver: User) -> bool:
    """One transaction: the state change, every message row and its link. False (nothing
    changed) when the author alone would send to more than the threshold."""
    now = utcnow()
    moved = rowcount(db.session.execute(
        update(BulkText).where(BulkText.id == bulk.id, BulkText.status == BulkState.PENDING)
        .values(status=BulkState.SENDING, approver_id=approver.id, approved_at=now)
        .execution_options(synchronize_session=False)))
    if not moved:
        db.session.rollback()
        raise Conflict(message=_l("This text is no longer waiting to be sent."))
    texts = {b.language: b.body for b in bulk.bodies}
    people, _opted_out = _people(filters_of(bulk), texts)
    if not approvals.may_approve(approver.id, bulk.author_id, len(people), threshold()):
        db.session.rollback()
        return False
    prepared = gateway.persist_batch(
        [Recipient(p.phone, p.phone_index, bulk.text_for(p.language)) for p in people],
        purpose=PURPOSE, validity_period=None)
    db.session.add_all(BulkTextMessage(bulk_id=bulk.id, message_id=m.message_id)
                       for m in prepared)
    db.session.execute(update(BulkText).where(BulkText.id == bulk.id)
                       .values(recipients=len(people))
                       .execution_options(synchronize_session=False))
    audit.record("outreach.approved", "bulk_text", bulk.id, f"{len(people)} recipients",
                 actor_id=approver.id)
    db.session.commit()
    db.session.refresh(bulk)
    sending.send_bulk(bulk.id)  # after the commit: the worker must find the rows
    return True


def recent(limit: int = 50) -> list[BulkText]:
    return list(db.session.scalars(select(BulkText).order_by(BulkText.created_at.desc())
                                   .limit(limit)))
