"""Masked callbacks: Aid rings the volunteer's phone, then bridges to the requester with the
hotline number as caller ID; no page, flash or log shows either number."""

from __future__ import annotations

import logging
import re

import pytest

from aid.auth.models import Role, Status
from aid.extensions import db
from aid.hotline import service as hotline
from aid.hotline.models import Channel, EventKind, HelpRequest, RequestEvent
from aid.voice.models import Direction, Outcome, VoiceCall
from aid.volunteers.service import phone_of
from tests.voice.support import CALLER, HOTLINE


@pytest.fixture
def held_request(line, volunteer, make_user):
    """A voicemail request assigned to a volunteer (who has a phone on their profile)."""
    sid, call_id, _menu = line.ring()
    line.choose(call_id, sid)
    line.hang_up(sid)
    req = db.session.query(HelpRequest).one()
    person = volunteer()
    hotline.assign(req, person, make_user(Role.COORDINATOR, Status.VETTED))
    return req, person


def test_call_back_rings_the_volunteer_then_bridges_to_the_requester(
        client, line, twilio, held_request, aid_test, caplog):
    caplog.set_level(logging.DEBUG)
    req, person = held_request
    own = phone_of(person.id)
    aid_test.sign_in(client, person)
    page = client.get(f"/my/requests/{req.id}").get_data(as_text=True)
    assert "Call back" in page and CALLER not in page and CALLER[2:] not in page
    token = aid_test.csrf_token(client, f"/my/requests/{req.id}")
    response = client.post(f"/voice/requests/{req.id}/call-back", data={"csrf_token": token},
                           follow_redirects=True)
    shown = response.get_data(as_text=True)
    assert response.status_code == 200 and "Your phone will ring" in shown
    assert CALLER not in shown and own not in shown

    assert len(twilio.calls) == 1
    placed = twilio.calls[0]
    assert placed["To"] == own and placed["From"] == HOTLINE
    call = db.session.query(VoiceCall).filter_by(direction=Direction.CALLBACK).one()
    assert placed["Url"].endswith(f"/voice/callback/answer?call={call.id}")
    assert call.call_sid and call.outcome == Outcome.CALLING

    answer = line.post(f"/voice/callback/answer?call={call.id}", CallSid=call.call_sid,
                       To=own, From=HOTLINE).get_data(as_text=True)
    assert "<Gather" in answer and "Press 1" in answer
    assert CALLER not in answer
    bridge = line.post(f"/voice/callback/connect?call={call.id}", CallSid=call.call_sid,
                       Digits="1").get_data(as_text=True)
    dial = re.search(r"<Dial [^>]*>", bridge).group(0)
    assert f'callerId="{HOTLINE}"' in dial and f"<Number>{CALLER}</Number>" in bridge
    assert own not in bridge
    line.post(f"/voice/callback/done?call={call.id}", CallSid=call.call_sid,
              DialCallStatus="completed", DialCallDuration="240")
    db.session.refresh(call)
    assert (call.outcome, call.duration_seconds) == (Outcome.CONNECTED, 240)
    events = db.session.query(RequestEvent).filter_by(request_id=req.id, kind=EventKind.CALL)
    assert [(e.detail, e.actor_id) for e in events] == [("callback", person.id)]
    logged = "\n".join(r.getMessage() for r in caplog.records)
    for number in (CALLER, own, CALLER[2:], own[2:]):
        assert number not in logged


def test_not_pressing_1_never_calls_the_requester(client, line, twilio, held_request, aid_test):
    req, person = held_request
    aid_test.sign_in(client, person)
    token = aid_test.csrf_token(client, f"/my/requests/{req.id}")
    client.post(f"/voice/requests/{req.id}/call-back", data={"csrf_token": token})
    call = db.session.query(VoiceCall).filter_by(direction=Direction.CALLBACK).one()
    answer = line.post(f"/voice/callback/connect?call={call.id}", CallSid=call.call_sid,
                       Digits="").get_data(as_text=True)
    assert "<Dial" not in answer and "<Hangup" in answer
    line.post(f"/voice/status?call={call.id}", CallSid=call.call_sid, CallStatus="completed")
    db.session.refresh(call)
    assert call.outcome == Outcome.NOT_REACHED


def test_only_the_assigned_volunteer_or_a_coordinator_can_call_back(
        app, client, twilio, held_request, make_user, aid_test):
    req, _person = held_request
    other = make_user(Role.VOLUNTEER, Status.VETTED)
    aid_test.sign_in(client, other)
    token = aid_test.csrf_token(client)
    assert client.post(f"/voice/requests/{req.id}/call-back",
                       data={"csrf_token": token}).status_code == 404
    assert twilio.calls == []
    assert "Call back" not in client.get(f"/my/requests/{req.id}").get_data(as_text=True)


def test_a_coordinator_without_a_phone_on_file_is_told_to_add_one(
        client, twilio, held_request, make_user, aid_test):
    req, _person = held_request
    aid_test.sign_in(client, make_user(Role.COORDINATOR, Status.VETTED))
    token = aid_test.csrf_token(client, f"/coordinator/requests/{req.id}")
    response = client.post(f"/voice/requests/{req.id}/call-back", data={"csrf_token": token},
                           follow_redirects=True)
    assert "Add your phone number to your profile" in response.get_data(as_text=True)
    assert twilio.calls == []
    assert req.channel == Channel.VOICE
