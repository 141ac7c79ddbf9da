"""Twilio's voice webhooks: `POST /voice/inbound` (the hotline number's Voice URL) and the
steps Aid's own TwiML points Twilio at, all under /voice/.

Like /sms/inbound, each is declared `@twilio_webhook` (`aid.security.webhooks`): open to no
one without Twilio's signature (403 before anything is read or stored), exempt from CSRF,
rate-limited only when unsigned. Under it, `_safe`: a handler's failure never answers 500
(Twilio would play an error): the caller hears a short apology instead.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from flask import Response, current_app, request
from flask.typing import ResponseReturnValue
from flask_babel import force_locale
from flask_babel import gettext as _
from twilio.twiml.voice_response import VoiceResponse
from werkzeug.exceptions import HTTPException

from aid.auth.models import User
from aid.errors import NotFound
from aid.extensions import db
from aid.network.service import current_settings
from aid.security.numbers import bounded_int
from aid.security.webhooks import twilio_webhook
from aid.voice import bp, callbacks, service, tasks, twiml
from aid.voice.models import Outcome
from aid.volunteers.service import language_of

MAX_SID = 64


def _safe(view: Callable[..., ResponseReturnValue]) -> Callable[..., ResponseReturnValue]:
    @functools.wraps(view)
    def run(*args: Any, **kwargs: Any) -> ResponseReturnValue:
        try:
            return view(*args, **kwargs)
        except HTTPException:
            raise
        except NotFound:
            return twiml.hang_up()
        except Exception:
            db.session.rollback()
            # No form values in the log: they hold the caller's number.
            current_app.logger.exception("voice webhook %s failed", request.endpoint)
            response = VoiceResponse()
            with force_locale("en"):
                response.say(_("Sorry, something went wrong. Please call again, or send us a "
                               "text message."), language="en-US")
            return twiml.reply(response)
    return run


def _call() -> Any:
    return service.find_call(bounded_int(request.args.get("call")))


def _sid() -> str:
    sid = request.form.get("CallSid", "").strip()
    return sid if 0 < len(sid) <= MAX_SID else ""


def _duration(name: str) -> int | None:
    return bounded_int(request.form.get(name), high=86400)


def _hotline_number() -> str:
    return current_settings().hotline_number or request.form.get("To", "").strip()[:20] \
        or current_app.config["TWILIO_FROM_NUMBER"]


@bp.route("/voice/inbound", methods=["POST"])
@twilio_webhook
@_safe
def inbound() -> ResponseReturnValue:
    sid = _sid()
    if not sid:
        return twiml.hang_up()
    call = service.start_call(sid, request.form.get("From", ""))
    if call.outcome == Outcome.BLOCKED:
        return twiml.rejected()
    if call.outcome == Outcome.CLOSED:
        return twiml.closed(service.languages()[0])
    return twiml.menu(call, service.languages())


@bp.route("/voice/language", methods=["POST"])
@twilio_webhook
@_safe
def language() -> ResponseReturnValue:
    call = _call()
    service.choose_language(call, request.form.get("Digits", "").strip()[:2])
    people = service.on_call(exclude=call.phone)
    if not people:
        service.go_to_voicemail(call)
        return twiml.voicemail(call)
    service.ringing(call, len(people))
    return twiml.ring(call, people, _hotline_number())


def _volunteer() -> User:
    user = db.session.get(User, bounded_int(request.args.get("user")) or 0)
    if user is None:
        raise NotFound("no such volunteer")
    return user


def _language_of(user: User) -> str:
    return language_of(user)


@bp.route("/voice/screen", methods=["POST"])
@twilio_webhook
@_safe
def screen() -> ResponseReturnValue:
    call, user = _call(), _volunteer()
    return twiml.screen(call, user.id, _language_of(user))


@bp.route("/voice/screen/answer", methods=["POST"])
@twilio_webhook
@_safe
def screen_answer() -> ResponseReturnValue:
    call, user = _call(), _volunteer()
    if request.form.get("Digits", "").strip() != "1":
        return twiml.hang_up()  # declined: this phone stops, the others ring on
    return twiml.taken(service.accept(call, user.id), _language_of(user))


@bp.route("/voice/dialled", methods=["POST"])
@twilio_webhook
@_safe
def dialled() -> ResponseReturnValue:
    call = _call()
    if service.dial_finished(call, _duration("DialCallDuration")):
        return twiml.hang_up()
    return twiml.voicemail(call)


@bp.route("/voice/recorded", methods=["POST"])
@twilio_webhook
@_safe
def recorded() -> ResponseReturnValue:
    call = _call()
    recording = request.form.get("RecordingSid", "").strip()[:MAX_SID]
    vm = service.voicemail_left(call, recording, _duration("RecordingDuration") or 0)
    if vm is None:
        return twiml.hang_up()
    return twiml.thanks(call)


@bp.route("/voice/recording", methods=["POST"])
@twilio_webhook
@_safe
def recording() -> ResponseReturnValue:
    """Twilio's recording status callback: the audio can be fetched now."""
    call = _call()
    sid = request.form.get("RecordingSid", "").strip()[:MAX_SID]
    if request.form.get("RecordingStatus", "") == "completed" and sid:
        vm = service.voicemail_left(call, sid, _duration("RecordingDuration") or 0)
        if vm is not None:
            tasks.fetch_recording(vm.id)
    return Response("", status=204)


@bp.route("/voice/status", methods=["POST"])
@twilio_webhook
@_safe
def status() -> ResponseReturnValue:
    """Call status callback: the hotline number's (set in Twilio's console) and callbacks'."""
    final = {"completed", "busy", "failed", "no-answer", "canceled"}
    if request.form.get("CallStatus", "") not in final:
        return Response("", status=204)
    call_id = bounded_int(request.args.get("call"))
    call = service.find_call(call_id) if call_id else service.call_by_sid(_sid())
    if call is not None:
        service.call_ended(call, _duration("CallDuration"))
    return Response("", status=204)


@bp.route("/voice/callback/answer", methods=["POST"])
@twilio_webhook
@_safe
def callback_answer() -> ResponseReturnValue:
    call = _call()
    req = callbacks.request_of(call)
    staff = db.session.get(User, call.staff_id) if call.staff_id else None
    return twiml.callback_answer(call, req.code, _language_of(staff) if staff else "en")


@bp.route("/voice/callback/connect", methods=["POST"])
@twilio_webhook
@_safe
def callback_connect() -> ResponseReturnValue:
    call = _call()
    callbacks.request_of(call)
    if request.form.get("Digits", "").strip() != "1" or call.outcome != Outcome.CALLING:
        return twiml.hang_up()
    staff = db.session.get(User, call.staff_id) if call.staff_id else None
    return twiml.callback_bridge(call, callbacks.hotline_number(),
                                 _language_of(staff) if staff else "en")


@bp.route("/voice/callback/done", methods=["POST"])
@twilio_webhook
@_safe
def callback_done() -> ResponseReturnValue:
    call = _call()
    callbacks.request_of(call)
    callbacks.bridged(call, request.form.get("DialCallStatus", "").strip(),
                      _duration("DialCallDuration"))
    return twiml.hang_up()
