"""The hotline's rules: intake, status lookup, triage, assignment, notes, merging, replies.

Views, the SMS hook, the CLI and tasks all come through here. Every change is stamped in the
request's timeline (who, when) and in the audit log (without personal data), and committed
here, in one transaction with its audit row.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, and_, bindparam, func, select
from sqlalchemy.orm import load_only

from aid.auth.models import Role, Status, User
from aid.errors import Conflict, NotAllowed, NotFound
from aid.extensions import db
from aid.hotline import notices, search
from aid.hotline.models import (
    ENDED_STATES,
    OPEN_STATES,
    TRANSITIONS,
    URGENCY_RANK,
    VOLUNTEER_TRANSITIONS,
    Channel,
    EventKind,
    HelpRequest,
    RequestEvent,
    State,
    Urgency,
)
from aid.network.service import current_settings
from aid.phones import phone_index
from aid.privacy.retention import retention_days
from aid.security import audit, links
from aid.security.access import Level
from aid.security.audit import AuditEvent
from aid.shifts import service as shifts
from aid.sms.gateway import queue_sms
from aid.sms.service import is_suppressed
from aid.timeutil import utcnow
from aid.volunteers.choices import LANGUAGE_LABELS
from aid.volunteers.service import profiles_for

# Easy to read out on a phone and to type on a keypad: no 0/O/Q, 1/I/L, 2/Z, 5/S, 6/G,
# 8/B, U/V look-alikes. 21 symbols, 6 of them: 85 million codes.
CODE_ALPHABET = "ACDEFHJKMNPRTVWXY3479"
CODE_LENGTH = 6
MAX_DETAILS = 4000
MAX_NOTE = 2000
MAX_REPLY = 480  # three SMS segments: enough to say what to do next, short enough to read


# Refusals raised below (aid.errors), each with the sentence the person is shown.
NOT_NOW = _l("That change is not possible now.")
CLOSED = _l("This request is closed: reopen it first.")
NOT_MERGEABLE = _l("Both requests must be open, and different.")
NO_PHONE = _l("This request has no phone number to text.")


# -- codes and links ----------------------------------------------------------------------

def new_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return f"{raw[:3]}-{raw[3:]}"


def normalise_code(text: str | None) -> str | None:
    """`hx7 4kq`, `HX7-4KQ`, `hx74kq` -> `HX7-4KQ`; anything else -> None."""
    raw = re.sub(r"[^A-Za-z0-9]", "", text or "").upper()
    if len(raw) != CODE_LENGTH or any(ch not in CODE_ALPHABET for ch in raw):
        return None
    return f"{raw[:3]}-{raw[3:]}"


class QueueFull(Conflict):
    """The website has taken its network-wide share of requests this hour."""

    status = 429


# Whether a code is taken and, in the same statement, how many requests the website took
# since a time, counted no further than the share: built once, its values bound each time.
_CODE_AND_SHARE = select(
    select(HelpRequest.id).where(HelpRequest.code == bindparam("code")).exists(),
    select(func.count()).select_from(select(HelpRequest.id).where(
        HelpRequest.channel == Channel.WEB, HelpRequest.created_at > bindparam("since"))
        .limit(bindparam("share")).subquery()).scalar_subquery())


def _unused_code(share: int = 0) -> str:
    """A reference code no request has. With `share`, the website's hourly share of requests
    is checked in the same statement (QueueFull when it is taken): one read before the
    request is written."""
    since = utcnow() - timedelta(hours=1)
    for _attempt in range(10):
        code = new_code()
        used, count = db.session.execute(_CODE_AND_SHARE, {
            "code": code, "since": since, "share": share}).one()
        if share and count >= share:
            _queue_full(share)
        if not used:
            return code
    raise RuntimeError("could not find an unused reference code")  # 85M codes: not in practice


# -- intake -------------------------------------------------------------------------------

@dataclass
class Intake:
    category: str
    urgency: str
    area_id: int | None
    language: str
    contact_method: str
    details: str
    name: str = ""
    phone: str = ""  # E.164 or empty
    consent: bool = True


def create_request(intake: Intake, channel: Channel = Channel.WEB,
                   taken_by: User | None = None, message_sid: str | None = None,
                   within_share: bool = False) -> tuple[HelpRequest, str]:
    """Open a request; returns it and the private status token (shown once, never stored).
    `within_share`: the public form's request, refused past the website's hourly share
    (QueueFull), nothing written."""
    share = website_share() if within_share else 0
    code = _unused_code(share)
    token, digest = links.issue(24)
    now = utcnow()
    req = HelpRequest(
        code=code, status_token_hash=digest, status=State.NEW,
        category=intake.category, urgency=URGENCY_RANK[Urgency(intake.urgency)],
        area_id=intake.area_id, language=intake.language, contact_method=intake.contact_method,
        channel=channel, name=intake.name.strip() or None, phone=intake.phone or None,
        phone_index=phone_index(intake.phone or None), details=intake.details[:MAX_DETAILS],
        taken_by_id=taken_by.id if taken_by else None,
        consent_at=now if intake.consent else None, created_at=now, handled_at=now,
    )
    db.session.add(req)
    db.session.flush()
    search.index_words(req, new=True)
    _event(req, EventKind.CREATED, taken_by, to_status=State.NEW, detail=str(channel),
           message_sid=message_sid)
    audit.record("help_request.created", "help_request", req.id, f"channel {channel}",
                 actor_id=taken_by.id if taken_by else None)
    # What was just written is what the notices and the redirect read: kept, not read back.
    session = db.session()
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = True
    notices.request_created(req)
    return req, token


QUEUE_FULL = "hotline.queue_full"


def website_share() -> int:
    """How many requests the website takes an hour from everyone together (more with the
    admin's surge switch on; 0: no bound). Per-client limits do not stop a crowd of rotating
    addresses; this bounds what they can put in front of coordinators."""
    cfg = current_app.config
    return int(cfg["HOTLINE_SURGE_PER_HOUR"] if current_settings().surge else
               cfg["HOTLINE_QUEUE_PER_HOUR"])


def _queue_full(share: int) -> None:
    """Refuse a request past the website's share. The first refusal in an hour records an
    audit row, and the coordinators' queue says so while it lasts."""
    if not queue_full_notice():
        audit.record(QUEUE_FULL, detail=f"{share} per hour", actor_id=None)
        db.session.commit()
    raise QueueFull(f"the website's {share} requests an hour are taken")


def queue_full_notice() -> bool:
    since = utcnow() - timedelta(hours=1)
    return db.session.scalar(select(AuditEvent.id).where(
        AuditEvent.action == QUEUE_FULL, AuditEvent.at > since).limit(1)) is not None


def find_by_code(code: str | None) -> HelpRequest | None:
    code = normalise_code(code)
    if code is None:
        return None
    return db.session.scalar(select(HelpRequest).where(HelpRequest.code == code))


def find_by_token(token: str) -> HelpRequest | None:
    digest = links.digest(token)
    if digest is None:
        return None
    return db.session.scalar(select(HelpRequest).where(HelpRequest.status_token_hash == digest))


def public_state(req: HelpRequest) -> State:
    """What the requester is told: a duplicate shows the state of the request it joined."""
    seen = 0
    while req.merged_into_id and seen < 5:
        target = db.session.get(HelpRequest, req.merged_into_id)
        if target is None:
            break
        req, seen = target, seen + 1
    return req.state


def open_request_for_phone(e164: str) -> HelpRequest | None:
    return db.session.scalar(
        select(HelpRequest)
        .where(HelpRequest.phone_index == phone_index(e164),
               HelpRequest.status.in_([str(s) for s in OPEN_STATES]))
        .order_by(HelpRequest.created_at.desc(), HelpRequest.id.desc()).limit(1))


def add_message(req: HelpRequest, body: str, message_sid: str | None = None) -> None:
    """More words from the requester (by SMS): into the timeline, for the team to read."""
    _event(req, EventKind.MESSAGE, None, body=body[:MAX_DETAILS], message_sid=message_sid)
    audit.record("help_request.message", "help_request", req.id, actor_id=None)
    db.session.commit()
    notices.requester_wrote(req)


def add_call(req: HelpRequest, detail: str, actor: User | None = None,
             body: str | None = None) -> None:
    """A hotline call about this request (the requester called again, left a voicemail, or a
    volunteer called them back): into the timeline, with `detail` a non-personal word."""
    _event(req, EventKind.CALL, actor, detail=detail[:80], body=body)
    audit.record("help_request.call", "help_request", req.id, detail[:80],
                 actor_id=actor.id if actor else None)
    db.session.commit()
    if actor is None and detail in ("voicemail", "missed"):
        notices.requester_wrote(req)


def request_for_message(message_sid: str) -> HelpRequest | None:
    """The request an inbound text already went into, if the provider sends it again."""
    if not message_sid:
        return None
    request_id = db.session.scalar(
        select(RequestEvent.request_id).where(RequestEvent.message_sid == message_sid))
    return db.session.get(HelpRequest, request_id) if request_id else None


# -- triage -------------------------------------------------------------------------------

def _event(req: HelpRequest, kind: EventKind, actor: User | None, **values: object) -> None:
    db.session.add(RequestEvent(request_id=req.id, kind=kind, at=utcnow(),
                                actor_id=actor.id if actor else None, **values))
    if actor is not None:
        req.handled_at = utcnow()


def _move(req: HelpRequest, to: State, actor: User | None) -> None:
    before = req.state
    req.status = to
    if to in ENDED_STATES:
        req.ended_at = utcnow()
        req.purge_after = req.ended_at + timedelta(
            days=retention_days("requests"))
    else:
        req.ended_at = req.purge_after = None
    _event(req, EventKind.STATUS, actor, from_status=before, to_status=to)
    audit.record("help_request.status", "help_request", req.id, f"{before} -> {to}")


def change_status(req: HelpRequest, to: State, actor: User) -> None:
    """Coordinators move any request; a volunteer only the one they hold, and only forward."""
    if actor.level >= Level.COORDINATOR:
        allowed = TRANSITIONS
    elif req.assignee_id == actor.id:
        allowed = VOLUNTEER_TRANSITIONS
    else:
        raise NotAllowed("not theirs", NOT_NOW)
    if to not in allowed.get(req.state, ()):
        raise Conflict(f"{req.state} -> {to}", NOT_NOW)
    if to == State.TRIAGED and req.assignee_id:
        req.assignee_id = None  # back to the queue: nobody holds it any more
    _move(req, to, actor)
    db.session.commit()


def triage(req: HelpRequest, actor: User, *, category: str, urgency: str,
           area_id: int | None, language: str) -> None:
    """Correct what the request is about; a new request becomes triaged."""
    req.category, req.urgency = category, URGENCY_RANK[Urgency(urgency)]
    req.area_id, req.language = area_id, language
    _event(req, EventKind.TRIAGED, actor, detail=f"{category}, {urgency}")
    audit.record("help_request.triaged", "help_request", req.id, f"{category}, {urgency}")
    if req.state == State.NEW:
        _move(req, State.TRIAGED, actor)
    db.session.commit()


# The queue's "Assigned to" filter names the whole team while it has at most this many
# people who can be assigned requests; past that, a list of every name would cost a
# decryption each on every page, and be too long to choose from.
TEAM_IN_FULL = 50


def _can_be_assigned() -> ColumnElement[bool]:
    return and_(User.status == Status.VETTED,
                User.role.in_([Role.VOLUNTEER, Role.COORDINATOR]))


@dataclass
class AssigneeChoices:
    people: list[tuple[int, str]]  # (id, name), by name
    # False: the team is larger than TEAM_IN_FULL, and `people` is the viewer, the people
    # holding the requests the page shows and the person filtered by.
    whole_team: bool


def assignee_choices(viewer: User, shown: Iterable[User],
                     chosen: int | None = None) -> AssigneeChoices:
    """The people the queue's "Assigned to" filter offers. A small team in full; a larger
    one as the people the page already names (`shown`, the assignees of its requests, whose
    names are read for the list anyway), the viewer and the person `chosen` (the filter in
    force), so that the page costs the same whatever the size of the team: each name the
    list shows filters by that person too, and a person's own page links to their requests.
    At most TEAM_IN_FULL names are read and decrypted; two columns, no account object."""
    ids = list(db.session.scalars(select(User.id).where(_can_be_assigned())
                                  .limit(TEAM_IN_FULL + 1)))
    whole_team = len(ids) <= TEAM_IN_FULL
    names: dict[int, str] = {}
    if whole_team:
        if ids:
            names.update(db.session.execute(select(User.id, User.display_name)
                                            .where(User.id.in_(ids))).tuples().all())
    else:
        names.update((u.id, u.display_name) for u in shown)
        if viewer.status == Status.VETTED and viewer.role in (Role.VOLUNTEER,
                                                              Role.COORDINATOR):
            names[viewer.id] = viewer.display_name
        if chosen is not None and chosen not in names:
            names.update(db.session.execute(
                select(User.id, User.display_name).where(User.id == chosen)).tuples().all())
    return AssigneeChoices(sorted(names.items(), key=lambda p: p[1].casefold()), whole_team)


@dataclass
class Assignee:
    user: User
    hints: str  # languages and areas, once the volunteers feature records them


def assignable_people() -> list[Assignee]:
    """Vetted volunteers and coordinators, by name, each with the languages they speak and
    the areas they cover (from their volunteer profile; staff may have none). Three queries."""
    # Only what the list shows and the assignment checks: nobody's e-mail or TOTP secret is
    # decrypted to fill a dropdown.
    people = db.session.scalars(select(User).options(
        load_only(User.id, User.display_name, User.role, User.status)).where(
        _can_be_assigned())).all()
    profiles = profiles_for([u.id for u in people], hints_only=True)

    def hints(user: User) -> str:
        profile = profiles.get(user.id)
        if profile is None:
            return ""
        languages = ", ".join(str(LANGUAGE_LABELS.get(c, c)) for c in profile.language_list)
        areas = ", ".join(a.name for a in profile.areas)
        return " · ".join(part for part in (languages, areas) if part)

    return sorted((Assignee(user=u, hints=hints(u)) for u in people),
                  key=lambda a: a.user.display_name.casefold())


def assign(req: HelpRequest, volunteer: User, actor: User) -> None:
    if not req.is_open:
        raise Conflict("ended", CLOSED)
    if volunteer.status != Status.VETTED or volunteer.role == Role.ADMIN:
        raise NotAllowed("not a vetted volunteer", CLOSED)
    req.assignee_id = volunteer.id
    _event(req, EventKind.ASSIGNED, actor, subject_id=volunteer.id)
    audit.record("help_request.assigned", "help_request", req.id, f"user {volunteer.id}")
    if req.state in (State.NEW, State.TRIAGED):
        _move(req, State.ASSIGNED, actor)
    db.session.commit()
    notices.assigned(req, volunteer.id)


def add_note(req: HelpRequest, actor: User, body: str) -> None:
    _event(req, EventKind.NOTE, actor, body=body.strip()[:MAX_NOTE])
    audit.record("help_request.note", "help_request", req.id)
    db.session.commit()


def can_merge(duplicate: HelpRequest, primary: HelpRequest) -> bool:
    return duplicate.id != primary.id and primary.is_open and duplicate.is_open


def merge(duplicate: HelpRequest, primary: HelpRequest, actor: User) -> None:
    """Close `duplicate` into `primary`: its words join the primary's timeline."""
    if not can_merge(duplicate, primary):
        raise Conflict("cannot merge", NOT_MERGEABLE)
    duplicate.merged_into_id = primary.id
    _event(primary, EventKind.MERGED, actor, detail=duplicate.code, body=duplicate.details)
    if not primary.phone and duplicate.phone:
        primary.phone, primary.phone_index = duplicate.phone, duplicate.phone_index
    _event(duplicate, EventKind.MERGED, actor, detail=primary.code)
    audit.record("help_request.merged", "help_request", duplicate.id, f"into {primary.id}")
    _move(duplicate, State.DUPLICATE, actor)
    db.session.commit()


def send_reply(req: HelpRequest, body: str, actor: User) -> str:
    """Text the requester from the app: nobody on the team needs to see their number.

    The timeline row is committed first, then the text is queued through the gateway, and
    the row notes what became of it. Returns the outbound status: "queued"/"sent", or
    "suppressed" when the number opted out (nothing leaves: opt-out is absolute).
    """
    if not req.phone:
        raise Conflict("no phone", NO_PHONE)
    body = body.strip()[:MAX_REPLY]
    opted_out = is_suppressed(req.phone)
    event = RequestEvent(request_id=req.id, kind=EventKind.REPLY, at=utcnow(),
                         actor_id=actor.id, body=body,
                         detail="sms suppressed" if opted_out else "sms queued")
    db.session.add(event)
    req.handled_at = utcnow()
    audit.record("help_request.reply", "help_request", req.id,
                 "not sent: opted out" if opted_out else "")
    db.session.commit()
    if opted_out:
        return "suppressed"
    # After the commit: the timeline holds what we sent even if the provider is slow.
    msg = queue_sms(req.phone, body, purpose="hotline_reply")
    event.detail = f"sms {msg.status}"[:80]
    db.session.commit()
    return msg.status


# -- reading ------------------------------------------------------------------------------

def timeline(req: HelpRequest) -> tuple[list[RequestEvent], dict[int, User]]:
    """The request's events, oldest first, and the people they name (two queries)."""
    events = list(db.session.scalars(
        select(RequestEvent).where(RequestEvent.request_id == req.id)
        .order_by(RequestEvent.at, RequestEvent.id)))
    ids = {e.actor_id for e in events} | {e.subject_id for e in events}
    ids.discard(None)
    people = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(ids)))}
    return events, people


def for_volunteer(request_id: int, user: User) -> HelpRequest:
    """A request the volunteer holds; anyone else's is 404, as if it did not exist."""
    req = db.session.get(HelpRequest, request_id)
    if req is None or req.assignee_id != user.id:
        raise NotFound("not held by this volunteer")
    return req


def stale_before() -> datetime:
    return utcnow() - timedelta(hours=current_app.config["HOTLINE_STALE_HOURS"])


def is_stale(req: HelpRequest) -> bool:
    return req.is_open and req.handled_at < stale_before()


NEED_WORDS = 60  # characters of a request's own words on a staff card: enough to triage by


def need_snippet(req: HelpRequest, limit: int = NEED_WORDS) -> str:
    """The first words of what the person wrote, cut at a word, for the staff queue only
    (coordinators may read the whole request; a volunteer's list never shows it)."""
    text = " ".join((req.details or "").split())
    if len(text) <= limit:
        return text
    cut = text[:limit + 1].rsplit(" ", 1)[0] if " " in text[:limit + 1] else text[:limit]
    return cut.rstrip(" ,.;:") + "…"


@shifts.look_up_requests_with
def _for_a_shift(request_id: int) -> shifts.LinkedRequest | None:
    req = db.session.get(HelpRequest, request_id)
    if req is None:
        return None
    return shifts.LinkedRequest(req.id, req.code, req.area_id, req.language)
