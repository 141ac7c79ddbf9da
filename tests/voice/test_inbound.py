"""A call to the hotline: signature, language menu, ringing everyone on call with screening,
the fallbacks (coordinators on duty, then voicemail), blocked numbers and the off switch."""

from __future__ import annotations

import re

from aid.auth.models import Role
from aid.extensions import db
from aid.sms.models import InboundMessage
from aid.voice import blocks
from aid.voice.models import Outcome, VoiceCall
from tests.fakes.fake_twilio import signature, text_in
from tests.voice.support import CALLER, HOTLINE

WEBHOOKS = ["/voice/inbound", "/voice/language?call=1", "/voice/screen?call=1&user=1",
            "/voice/screen/answer?call=1&user=1", "/voice/dialled?call=1",
            "/voice/recorded?call=1", "/voice/recording?call=1", "/voice/status",
            "/voice/callback/answer?call=1", "/voice/callback/connect?call=1",
            "/voice/callback/done?call=1"]


def test_a_forged_or_missing_signature_is_refused_and_nothing_is_stored(client, line):
    params = {"CallSid": "CA" + "9" * 32, "From": CALLER, "To": HOTLINE, "Digits": "1"}
    for path in WEBHOOKS:
        assert client.post(path, data=params).status_code == 403, path
        forged = signature(path, params, token="not-the-token")
        assert client.post(path, data=params,
                           headers={"X-Twilio-Signature": forged}).status_code == 403, path
    assert db.session.query(VoiceCall).count() == 0


def test_the_greeting_names_the_network_and_offers_both_languages(line):
    _sid, call_id, menu = line.ring()
    assert "<Gather" in menu and 'numDigits="1"' in menu
    assert 'language="en-US"' in menu and "Eastside Aid" in menu and "press 1" in menu
    assert 'language="es-MX"' in menu and "oprima 2" in menu
    assert call_id


def test_pressing_2_speaks_spanish_from_then_on(line):
    sid, call_id, _menu = line.ring()
    answer = line.choose(call_id, sid, "2")  # nobody on call: the voicemail prompt
    assert 'language="es-MX"' in answer and 'language="en-US"' not in answer
    assert "mensaje" in answer
    assert db.session.get(VoiceCall, call_id).language == "es"


def test_two_volunteers_on_call_ring_at_once_from_the_hotline_number(line, on_call, volunteer):
    ana, ben = volunteer(), volunteer(languages=("es",))
    on_call(ana, ben)
    sid, call_id, _menu = line.ring()
    answer = line.choose(call_id, sid, "1")
    assert answer.count("<Dial") == 1
    dial = re.search(r"<Dial [^>]*>", answer).group(0)
    assert f'callerId="{HOTLINE}"' in dial and 'timeout="20"' in dial
    from aid.volunteers.service import phone_of

    for person in (ana, ben):
        assert f">{phone_of(person.id)}</Number>" in answer
        assert f"/voice/screen?call={call_id}&amp;user={person.id}" in answer
    assert CALLER not in answer  # the caller's number goes nowhere but the caller's own leg
    assert db.session.get(VoiceCall, call_id).outcome == Outcome.RINGING


def test_screening_first_to_press_1_takes_the_call_a_decline_lets_others_ring(
        line, on_call, volunteer):
    ana, ben = volunteer(), volunteer(languages=("es",))
    on_call(ana, ben)
    sid, call_id, _menu = line.ring()
    line.choose(call_id, sid, "1")
    whisper = line.post(f"/voice/screen?call={call_id}&user={ben.id}", CallSid="CAleg1"
                        ).get_data(as_text=True)
    assert "<Gather" in whisper and "1" in whisper and "<Hangup" in whisper
    declined = line.post(f"/voice/screen/answer?call={call_id}&user={ben.id}",
                         CallSid="CAleg1", Digits="9").get_data(as_text=True)
    assert "<Hangup" in declined
    assert db.session.get(VoiceCall, call_id).staff_id is None
    took = line.post(f"/voice/screen/answer?call={call_id}&user={ana.id}", CallSid="CAleg2",
                     Digits="1").get_data(as_text=True)
    assert "<Hangup" not in took and "<Say" not in took  # an empty answer bridges the call
    late = line.post(f"/voice/screen/answer?call={call_id}&user={ben.id}", CallSid="CAleg3",
                     Digits="1").get_data(as_text=True)
    assert "<Hangup" in late
    done = line.post(f"/voice/dialled?call={call_id}", CallSid=sid,
                     DialCallStatus="completed", DialCallDuration="95").get_data(as_text=True)
    assert "<Hangup" in done and "<Record" not in done
    line.hang_up(sid)
    call = db.session.get(VoiceCall, call_id)
    assert (call.outcome, call.staff_id, call.duration_seconds) == (Outcome.ANSWERED, ana.id, 95)


def test_nobody_takes_it_then_voicemail(line, on_call, volunteer):
    on_call(volunteer())
    sid, call_id, _menu = line.ring()
    line.choose(call_id, sid)
    answer = line.post(f"/voice/dialled?call={call_id}", CallSid=sid,
                       DialCallStatus="no-answer").get_data(as_text=True)
    assert "<Record" in answer and 'maxLength="120"' in answer and "recorded" in answer
    assert "transcribe" not in answer.lower()


def test_nobody_on_call_falls_back_to_coordinators_on_duty_then_voicemail(
        line, volunteer):
    sid, call_id, _menu = line.ring()
    assert "<Record" in line.choose(call_id, sid)  # nobody at all: straight to voicemail
    coordinator = volunteer()
    coordinator.role = Role.COORDINATOR
    db.session.commit()
    sid, call_id, _menu = line.ring()
    answer = line.choose(call_id, sid)
    from aid.volunteers.service import phone_of

    assert "<Dial" in answer and f">{phone_of(coordinator.id)}</Number>" in answer


def test_a_blocked_number_is_rejected_and_its_texts_ignored_but_stop_and_help_work(
        line, client, twilio, make_user):
    staff = make_user(Role.COORDINATOR)
    blocks.block_number(CALLER, staff, 30)
    _sid, _call_id, answer = line.ring()
    assert "<Reject" in answer and "<Dial" not in answer and "<Gather" not in answer
    assert db.session.query(VoiceCall).one().outcome == Outcome.BLOCKED
    ignored = text_in(client, "you will regret this", sender=CALLER).get_data(as_text=True)
    assert "<Message>" not in ignored
    assert db.session.query(InboundMessage).filter_by(handled_as="blocked").count() == 1
    helped = text_in(client, "HELP", sender=CALLER).get_data(as_text=True)
    assert "<Message>" in helped and "JOIN" in helped
    stopped = text_in(client, "STOP", sender=CALLER).get_data(as_text=True)
    assert "no more texts" in stopped
    from aid.sms.service import is_suppressed

    assert is_suppressed(CALLER)


def test_texts_from_other_numbers_are_not_affected_by_a_block(line, client, make_user):
    blocks.block_number(CALLER, make_user(Role.COORDINATOR), 7)
    reply = text_in(client, "HELP", sender="+12025550166").get_data(as_text=True)
    assert "<Message>" in reply


def test_with_the_line_off_callers_hear_it_is_closed(line, make_user):
    from aid.voice import service

    service.save_settings(make_user(Role.ADMIN), enabled=False, greeting_en="",
                          greeting_es="", ring_seconds=20, voicemail_seconds=120)
    _sid, _call_id, answer = line.ring()
    assert "not taking calls" in answer and "<Hangup" in answer
    assert db.session.query(VoiceCall).one().phone is None
