"""Masked callbacks: the assigned volunteer (or a coordinator) presses "Call back" on a
request; Aid rings their phone from the hotline number, and once they press 1, dials the
requester with the hotline number as caller ID. Neither person sees the other's number, and
no page or log holds either: they pass only between this module and Twilio."""

from __future__ import annotations

from flask import current_app
from flask_babel import lazy_gettext as _l

from aid.auth.models import User
from aid.errors import Conflict, Invalid, NotAllowed, NotFound
from aid.extensions import db
from aid.hotline import service as hotline
from aid.hotline.models import HelpRequest
from aid.network.service import current_settings
from aid.security import audit
from aid.security.access import Level
from aid.timeutil import utcnow
from aid.voice import blocks, twilio_api
from aid.voice.models import Direction, Outcome, VoiceCall
from aid.voice.service import voice_settings
from aid.volunteers.service import phone_of

NO_PHONE = _l("This request has no phone number to call.")
NO_OWN_PHONE = _l("Add your phone number to your profile first: Aid rings it, then "
                  "connects you.")
CLOSED = _l("This request is closed: reopen it first.")
LINE_OFF = _l("The voice hotline is turned off.")
BLOCKED = _l("This number is blocked.")
VOLUNTEER_RING_SECONDS = 25


def may_call_back(req: HelpRequest, user: User) -> bool:
    return bool(req.phone) and req.is_open and (
        user.level >= Level.COORDINATOR
        or (user.level >= Level.VETTED and req.assignee_id == user.id))


def hotline_number() -> str:
    return current_settings().hotline_number or current_app.config["TWILIO_FROM_NUMBER"]


def start(request_id: int, actor: User) -> VoiceCall:
    """Record the callback (audited, committed); `place` then asks Twilio to ring."""
    req = db.session.get(HelpRequest, request_id)
    if req is None or not (actor.level >= Level.COORDINATOR or req.assignee_id == actor.id):
        raise NotFound("not this person's request")
    if not req.phone:
        raise Conflict("no phone", NO_PHONE)
    if not req.is_open:
        raise Conflict("closed", CLOSED)
    if not may_call_back(req, actor):
        raise NotAllowed("not theirs", CLOSED)
    if not voice_settings().enabled:
        raise Conflict("voice off", LINE_OFF)
    if not phone_of(actor.id):
        raise Invalid("no own phone", NO_OWN_PHONE)
    if blocks.is_blocked(req.phone):
        raise Conflict("blocked", BLOCKED)
    call = VoiceCall(direction=Direction.CALLBACK, phone=req.phone, phone_index=req.phone_index,
                     language=req.language, outcome=Outcome.CALLING, staff_id=actor.id,
                     request_id=req.id, started_at=utcnow())
    db.session.add(call)
    db.session.flush()
    audit.record("voice.callback", "help_request", req.id, f"call {call.id}", actor_id=actor.id)
    db.session.commit()
    return call


def place(call_id: int) -> None:
    """Ring the volunteer's phone (a task: the page never waits on Twilio)."""
    call = db.session.get(VoiceCall, call_id)
    if call is None or call.outcome != Outcome.CALLING or call.call_sid or not call.staff_id:
        return
    own = phone_of(call.staff_id)
    base = current_app.config["PUBLIC_URL"]
    if not own or not hotline_number():
        call.outcome, call.ended_at = Outcome.NOT_REACHED, utcnow()
        db.session.commit()
        return
    try:
        call.call_sid = twilio_api.create_call(
            to=own, from_=hotline_number(), url=f"{base}/voice/callback/answer?call={call.id}",
            status_callback=f"{base}/voice/status?call={call.id}",
            timeout=VOLUNTEER_RING_SECONDS)
    except twilio_api.TwilioUnavailable as exc:
        current_app.logger.warning("callback %s not placed: %s", call.id, exc)
        call.outcome, call.ended_at = Outcome.NOT_REACHED, utcnow()
    db.session.commit()


def request_of(call: VoiceCall) -> HelpRequest:
    req = db.session.get(HelpRequest, call.request_id) if call.request_id else None
    if req is None or call.direction != Direction.CALLBACK:
        raise NotFound("no callback")
    return req


def bridged(call: VoiceCall, dial_status: str, duration: int | None) -> None:
    """The bridge to the requester ended: connected when they talked."""
    talked = dial_status == "completed" and (duration or 0) > 0
    call.outcome = Outcome.CONNECTED if talked else Outcome.NOT_REACHED
    call.duration_seconds, call.ended_at = duration, utcnow()
    db.session.commit()
    req = db.session.get(HelpRequest, call.request_id) if call.request_id else None
    staff = db.session.get(User, call.staff_id) if call.staff_id else None
    if req is not None and talked:
        hotline.add_call(req, "callback", actor=staff)
