"""The voice hotline's rules: a call comes in, rings whoever is on call, ends answered, as a
voicemail or as a missed call; voicemails are fetched, kept encrypted and played to staff.

Webhook views and tasks come through here. A call's number is held only in `VoiceCall.phone`
(encrypted) and in the TwiML sent back to Twilio: never in a page, a log line or an audit row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask import g
from flask_babel import gettext as _
from sqlalchemy import Select, func, select, update

from aid.auth.models import User
from aid.errors import NotFound
from aid.extensions import db
from aid.hotline import service as hotline
from aid.hotline.models import Category, Channel, Contact, HelpRequest, Urgency
from aid.network.service import current_settings
from aid.notify.service import on_duty
from aid.phones import BadPhone, normalise_phone, phone_index
from aid.security import audit
from aid.security.access import Level
from aid.shifts.service import on_call as on_shift
from aid.statistics import keep_statistics
from aid.timeutil import utcnow
from aid.voice import blocks, twilio_api
from aid.voice.models import (
    IN_PROGRESS,
    Direction,
    Outcome,
    RecordingState,
    VoiceCall,
    Voicemail,
    VoiceSettings,
)
from aid.volunteers.service import language_of, phone_of

VOICE_LANGUAGES = ("en", "es")  # the languages <Say> speaks here
MAX_RINGING = 10  # Twilio dials at most ten <Number>s at once
MAX_FETCH_ATTEMPTS = 5
STALE_CALL = timedelta(hours=2)  # a call Twilio never told us the end of


# -- settings -------------------------------------------------------------------------------

def voice_settings() -> VoiceSettings:
    """The line's settings, read once per request; defaults until an admin saves them."""
    if "aid_voice_settings" not in g:
        row = db.session.get(VoiceSettings, 1)
        g.aid_voice_settings = row or VoiceSettings(
            id=1, enabled=True, greeting_en="", greeting_es="", ring_seconds=20,
            voicemail_seconds=120)
    return g.aid_voice_settings


def save_settings(actor: User, *, enabled: bool, greeting_en: str, greeting_es: str,
                  ring_seconds: int, voicemail_seconds: int) -> VoiceSettings:
    row = db.session.get(VoiceSettings, 1) or VoiceSettings(id=1)
    values = {"enabled": enabled, "greeting_en": greeting_en.strip(),
              "greeting_es": greeting_es.strip(), "ring_seconds": ring_seconds,
              "voicemail_seconds": voicemail_seconds}
    changed = sorted(k for k, v in values.items() if getattr(row, k, None) != v)
    for key, value in values.items():
        setattr(row, key, value)
    db.session.add(row)
    audit.record("voice.settings_changed", "settings", 1, ", ".join(changed), actor_id=actor.id)
    db.session.commit()
    g.pop("aid_voice_settings", None)
    return row


def languages() -> list[str]:
    """The menu's languages, in the network's order (digit 1 is the first)."""
    offered = [c for c in current_settings().language_list if c in VOICE_LANGUAGES]
    return offered or ["en"]


def greeting(locale: str) -> str:
    custom = voice_settings().greeting(locale)
    if custom:
        return custom
    return _("You have reached the %(network)s hotline.", network=current_settings().network_name)


# -- an inbound call ------------------------------------------------------------------------

def _caller(raw: str) -> str | None:
    try:
        return normalise_phone(raw, current_settings().default_region)
    except BadPhone:
        return None  # withheld, "anonymous", a short code: still answered, never called back


def find_call(call_id: int | None) -> VoiceCall:
    call = db.session.get(VoiceCall, call_id) if call_id else None
    if call is None:
        raise NotFound("no such call")
    return call


def call_by_sid(call_sid: str) -> VoiceCall | None:
    if not call_sid:
        return None
    return db.session.scalar(select(VoiceCall).where(VoiceCall.call_sid == call_sid))


def start_call(call_sid: str, raw_from: str) -> VoiceCall:
    """Twilio says a call arrived: one row per call (a retried webhook finds the same one).
    A blocked number's row ends at once as blocked; with the line off, as closed."""
    existing = db.session.scalar(select(VoiceCall).where(VoiceCall.call_sid == call_sid))
    if existing is not None:
        return existing
    phone = _caller(raw_from)
    call = VoiceCall(call_sid=call_sid, direction=Direction.INBOUND, phone=phone,
                     phone_index=phone_index(phone), language=languages()[0],
                     outcome=Outcome.MENU, started_at=utcnow())
    if phone and blocks.is_blocked(phone):
        call.outcome, call.ended_at = Outcome.BLOCKED, utcnow()
    elif not voice_settings().enabled:
        call.outcome, call.ended_at = Outcome.CLOSED, utcnow()
        call.phone = call.phone_index = None  # nothing to call back about: keep no number
    elif phone:
        # Repeated callers join their open request, as repeated texters do.
        existing_request = hotline.open_request_for_phone(phone)
        call.request_id = existing_request.id if existing_request else None
    db.session.add(call)
    db.session.commit()
    return call


def choose_language(call: VoiceCall, digits: str) -> str:
    offered = languages()
    index = int(digits) - 1 if digits.isascii() and digits.isdigit() and digits else 0
    call.language = offered[index] if 0 <= index < len(offered) else offered[0]
    db.session.commit()
    return call.language


@dataclass(frozen=True)
class OnCall:
    user_id: int
    phone: str
    language: str


def on_call(exclude: str | None = None) -> list[OnCall]:
    """Whom a call rings: volunteers on a hotline shift now; if none, coordinators on duty
    today; each with a phone on their profile. Empty: voicemail."""
    for ids in (on_shift(), on_duty()):
        people: list[OnCall] = []
        seen: set[str] = set()
        for user_id in ids:
            user = db.session.get(User, user_id)
            phone = phone_of(user_id) if user is not None and user.is_active else None
            if phone and phone != exclude and phone not in seen:
                seen.add(phone)
                people.append(OnCall(user_id, phone, language_of(user)))  # type: ignore[arg-type]
        if people:
            return people[:MAX_RINGING]
    return []


def ringing(call: VoiceCall, how_many: int) -> None:
    call.outcome, call.rang = Outcome.RINGING, how_many
    db.session.commit()


def go_to_voicemail(call: VoiceCall) -> None:
    call.outcome = Outcome.VOICEMAIL
    db.session.commit()


def accept(call: VoiceCall, user_id: int) -> bool:
    """A volunteer pressed 1: the first one gets the call (one conditional UPDATE, so two
    pressing at once cannot both win)."""
    result = db.session.execute(
        update(VoiceCall).where(VoiceCall.id == call.id, VoiceCall.staff_id.is_(None),
                                VoiceCall.outcome == Outcome.RINGING)
        .values(staff_id=user_id, outcome=Outcome.ANSWERED)
        .execution_options(synchronize_session=False))
    db.session.commit()
    db.session.refresh(call)
    return result.rowcount == 1  # type: ignore[attr-defined]


def dial_finished(call: VoiceCall, duration: int | None) -> bool:
    """The <Dial> ended. True when someone on call had taken it (the call is over); False
    sends the caller to voicemail."""
    if call.staff_id is not None and call.outcome == Outcome.ANSWERED:
        call.duration_seconds, call.ended_at = duration, utcnow()
        db.session.commit()
        if call.request_id:
            req = db.session.get(HelpRequest, call.request_id)
            if req is not None:
                hotline.add_call(req, "answered")
        return True
    go_to_voicemail(call)
    return False


def _request_for(call: VoiceCall, details: str) -> tuple[HelpRequest, bool]:
    """The caller's open request (found by blind index), or a new one in the triage queue;
    and whether it is new."""
    if call.request_id:
        req = db.session.get(HelpRequest, call.request_id)
        if req is not None and req.is_open:
            return req, False
    if call.phone:
        existing = hotline.open_request_for_phone(call.phone)
        if existing is not None:
            return existing, False
    req, _token = hotline.create_request(
        hotline.Intake(category=Category.OTHER, urgency=Urgency.DAYS, area_id=None,
                       language=call.language, contact_method=Contact.CALL, details=details,
                       phone=call.phone or "", consent=False), Channel.VOICE)
    return req, True


def voicemail_left(call: VoiceCall, recording_sid: str, seconds: int) -> Voicemail | None:
    """<Record> finished. A real message becomes (or joins) a request; the audio is fetched
    by a task. An empty recording is nothing: the call's end will count it as missed."""
    if not recording_sid or seconds <= 0:
        return None
    found = db.session.scalar(select(Voicemail).where(Voicemail.recording_sid == recording_sid))
    if found is not None:
        return found  # Twilio retried
    details = _("Voicemail left on the hotline (%(n)d seconds). Listen to it on this page.",
                n=seconds)
    req, new_request = _request_for(call, details)
    vm = Voicemail(request_id=req.id, call_id=call.id, recording_sid=recording_sid,
                   duration_seconds=seconds, state=RecordingState.PENDING)
    db.session.add(vm)
    call.outcome, call.request_id, call.ended_at = Outcome.LEFT_MESSAGE, req.id, utcnow()
    db.session.commit()
    if not new_request:
        hotline.add_call(req, "voicemail")
    return vm


def call_ended(call: VoiceCall, duration: int | None) -> None:
    """Twilio's last word on a call. One still in progress was missed: the caller hung up in
    the menu, while it rang, or at the voicemail prompt without a message. A missed call
    from a number we can call back leaves a request, so someone does."""
    if call.duration_seconds is None and duration is not None:
        call.duration_seconds = duration
    if call.ended:
        db.session.commit()
        return
    if call.direction == Direction.CALLBACK:
        call.outcome, call.ended_at = Outcome.NOT_REACHED, utcnow()
        db.session.commit()
        return
    call.outcome, call.ended_at = Outcome.MISSED, utcnow()
    db.session.commit()
    if not call.phone:
        return  # no number: nobody can call back, the call log still counts it
    req, fresh = _request_for(call, _("Missed call to the hotline: the caller hung up before "
                                      "anyone answered and left no message. Call them back."))
    call.request_id = req.id
    db.session.commit()
    if not fresh:
        hotline.add_call(req, "missed")


def stale_calls() -> list[int]:
    """Calls still in progress long after they began (Twilio's status callback is not set
    up, or was lost)."""
    return list(db.session.scalars(select(VoiceCall.id).where(
        VoiceCall.outcome.in_([str(o) for o in IN_PROGRESS]),
        VoiceCall.started_at < utcnow() - STALE_CALL).limit(200)))


# -- recordings -----------------------------------------------------------------------------

def store_recording(voicemail_id: int) -> None:
    """Fetch a voicemail's audio from Twilio, keep it encrypted, then delete Twilio's copy.

    The audio is committed before Twilio's copy is deleted: a failure in between leaves a
    copy at Twilio (deleted on a later try), never no copy at all."""
    vm = db.session.get(Voicemail, voicemail_id)
    if vm is None:
        return
    if vm.state == RecordingState.PENDING:
        vm.attempts += 1
        db.session.commit()
        try:
            data, content_type = twilio_api.fetch_recording(vm.recording_sid)
        except twilio_api.TwilioUnavailable:
            if vm.attempts >= MAX_FETCH_ATTEMPTS:
                vm.state = RecordingState.FAILED
                db.session.commit()
            return
        vm.audio, vm.content_type = data, content_type
        vm.state, vm.stored_at = RecordingState.STORED, utcnow()
        db.session.commit()
    if vm.state == RecordingState.STORED and vm.deleted_at_twilio is None:
        try:
            twilio_api.delete_recording(vm.recording_sid)
        except twilio_api.TwilioUnavailable:
            return  # tried again by the periodic job
        vm.deleted_at_twilio = utcnow()
        db.session.commit()


def recordings_to_retry() -> list[int]:
    """Voicemails still at Twilio a few minutes on: not fetched yet, or not deleted there."""
    since = utcnow() - timedelta(minutes=5)
    return list(db.session.scalars(select(Voicemail.id).where(
        Voicemail.created_at < since,
        (Voicemail.state == RecordingState.PENDING)
        | ((Voicemail.state == RecordingState.STORED) & Voicemail.deleted_at_twilio.is_(None)))
        .limit(200)))


def may_hear(vm: Voicemail, user: User) -> bool:
    """Coordinators, and the volunteer the request is assigned to."""
    if user.level >= Level.COORDINATOR:
        return True
    req = db.session.get(HelpRequest, vm.request_id)
    return req is not None and req.assignee_id == user.id and user.level >= Level.VETTED


def play(voicemail_id: int, user: User) -> Voicemail:
    """A voicemail's audio for someone allowed to hear it; audited. Anyone else: 404."""
    vm = db.session.get(Voicemail, voicemail_id)
    if vm is None or not may_hear(vm, user) or vm.audio_b64 is None:
        raise NotFound("no such voicemail for this person")
    audit.record("voicemail.played", "voicemail", vm.id, f"request {vm.request_id}",
                 actor_id=user.id)
    db.session.commit()
    return vm


def voicemails_for(request_id: int) -> list[Voicemail]:
    return list(db.session.scalars(select(Voicemail).where(Voicemail.request_id == request_id)
                                   .order_by(Voicemail.created_at)))


# -- the call log ---------------------------------------------------------------------------

def log_query(outcome: str = "") -> Select[Any]:
    query = select(VoiceCall).order_by(VoiceCall.started_at.desc(), VoiceCall.id.desc())
    if outcome in {o.value for o in Outcome}:
        query = query.where(VoiceCall.outcome == outcome)
    return query


# With statistics SQLite counts the week's calls by a skip-scan of ix_voice_calls_outcome_order
# (the week's entries of each outcome); without them it reads every call's entry.
keep_statistics("voice_calls")


def counts(since: datetime) -> dict[str, int]:
    """Calls per outcome since `since` (for the call log's summary and the dashboard)."""
    rows = db.session.execute(select(VoiceCall.outcome, func.count())
                              .where(VoiceCall.started_at >= since)
                              .group_by(VoiceCall.outcome))
    return {outcome: n for outcome, n in rows}
