"""What Aid tells Twilio to do on a call, as TwiML (twilio's `VoiceResponse`).

Every URL given to Twilio is absolute under `AID_PUBLIC_URL`: the signature Twilio puts on
its next request is checked against that same URL. Spoken text is in the caller's language
(or the volunteer's, for what a volunteer hears).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask import Response, current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from twilio.twiml.voice_response import VoiceResponse

from aid.network.service import LANGUAGE_NAMES
from aid.voice.models import VoiceCall
from aid.voice.service import OnCall, greeting, voice_settings

SAY_LANGUAGE = {"en": "en-US", "es": "es-MX"}
MENU_SECONDS = 6
SCREEN_SECONDS = 8


def url(path: str) -> str:
    return current_app.config["PUBLIC_URL"] + path


def reply(response: VoiceResponse) -> Response:
    return Response(str(response), mimetype="application/xml")


def _say(verb: Any, text: str, locale: str) -> None:
    """<Say> on a response or inside a <Gather>."""
    verb.say(text, language=SAY_LANGUAGE.get(locale, "en-US"))


def closed(locale: str) -> Response:
    response = VoiceResponse()
    with force_locale(locale):
        _say(response, _("This hotline is not taking calls right now. Please send us a text "
                         "message instead, or try again later."), locale)
    response.hangup()
    return reply(response)


def rejected() -> Response:
    response = VoiceResponse()
    response.reject(reason="rejected")
    return reply(response)


def menu(call: VoiceCall, languages: Sequence[str]) -> Response:
    """The greeting, then "press 1 for English, 2 para español"; silence picks the first."""
    response = VoiceResponse()
    gather = response.gather(num_digits=1, action=url(f"/voice/language?call={call.id}"),
                             method="POST", timeout=MENU_SECONDS)
    for digit, code in enumerate(languages, start=1):
        with force_locale(code):
            text = greeting(code)
            if len(languages) > 1:
                text += " " + _("For %(language)s, press %(digit)d.",
                                language=LANGUAGE_NAMES.get(code, code), digit=digit)
        _say(gather, text, code)
    response.redirect(url(f"/voice/language?call={call.id}"), method="POST")
    return reply(response)


def ring(call: VoiceCall, people: Sequence[OnCall], caller_id: str) -> Response:
    """Ring everyone on call at once from the hotline number; each hears a whisper first."""
    response = VoiceResponse()
    with force_locale(call.language):
        _say(response, _("Please hold while we connect you with a volunteer."), call.language)
    dial = response.dial(caller_id=caller_id or None, timeout=voice_settings().ring_seconds,
                         action=url(f"/voice/dialled?call={call.id}"), method="POST",
                         answer_on_bridge=True)
    for person in people:
        dial.number(person.phone, url=url(f"/voice/screen?call={call.id}&user={person.user_id}"),
                    method="POST")
    return reply(response)


def screen(call: VoiceCall, user_id: int, locale: str) -> Response:
    """What the volunteer hears on picking up: press 1 to take it (their voicemail cannot)."""
    response = VoiceResponse()
    gather = response.gather(num_digits=1, timeout=SCREEN_SECONDS, method="POST",
                             action=url(f"/voice/screen/answer?call={call.id}&user={user_id}"))
    with force_locale(locale):
        _say(gather, _("Aid hotline call, in %(language)s. Press 1 to take it.",
                       language=LANGUAGE_NAMES.get(call.language, call.language)), locale)
    response.hangup()
    return reply(response)


def taken(won: bool, locale: str) -> Response:
    """After pressing 1: an empty answer connects the call; a late one is told and let go."""
    response = VoiceResponse()
    if not won:
        with force_locale(locale):
            _say(response, _("Someone else already took this call. Thank you."), locale)
        response.hangup()
    return reply(response)


def hang_up() -> Response:
    response = VoiceResponse()
    response.hangup()
    return reply(response)


def voicemail(call: VoiceCall) -> Response:
    """Nobody took it: say what happens next, then record (no transcription: that would send
    the voice to another company)."""
    response = VoiceResponse()
    seconds = voice_settings().voicemail_seconds
    with force_locale(call.language):
        text = _("Nobody could answer right now. Please leave a message after the tone, up to "
                 "%(minutes)s minutes, and press the pound key when you are done. Your message "
                 "is recorded, and only our team listens to it.",
                 minutes=max(1, round(seconds / 60)))
        if call.phone:
            text += " " + _("We will call you back from this number.")
        else:
            text += " " + _("We cannot see your number: please say how to reach you.")
        _say(response, text, call.language)
    response.record(max_length=seconds, finish_on_key="#", play_beep=True, timeout=10,
                    action=url(f"/voice/recorded?call={call.id}"), method="POST",
                    recording_status_callback=url(f"/voice/recording?call={call.id}"),
                    recording_status_callback_method="POST",
                    recording_status_callback_event="completed", trim="trim-silence")
    with force_locale(call.language):
        _say(response, _("We did not get a message. Goodbye."), call.language)
    response.hangup()
    return reply(response)


def thanks(call: VoiceCall) -> Response:
    response = VoiceResponse()
    with force_locale(call.language):
        _say(response, _("Thank you. Your message reached our team. Goodbye."), call.language)
    response.hangup()
    return reply(response)


def callback_answer(call: VoiceCall, code: str, locale: str) -> Response:
    """The volunteer picked up a callback: press 1 to be connected (so their voicemail
    never calls the requester)."""
    response = VoiceResponse()
    gather = response.gather(num_digits=1, timeout=SCREEN_SECONDS, method="POST",
                             action=url(f"/voice/callback/connect?call={call.id}"))
    with force_locale(locale):
        _say(gather, _("Aid hotline. Press 1 to call the person of request %(code)s. They see "
                       "the hotline number, not yours.", code=" ".join(code)), locale)
    response.hangup()
    return reply(response)


def callback_bridge(call: VoiceCall, caller_id: str, locale: str) -> Response:
    response = VoiceResponse()
    with force_locale(locale):
        _say(response, _("Connecting."), locale)
    dial = response.dial(caller_id=caller_id or None, timeout=30, method="POST",
                         action=url(f"/voice/callback/done?call={call.id}"))
    dial.number(call.phone or "")
    return reply(response)
