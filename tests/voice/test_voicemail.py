"""Voicemails and missed calls become requests; recordings are fetched, kept encrypted,
deleted at Twilio, played only to the people allowed, audited and purged with the request."""

from __future__ import annotations

import base64
import logging
from datetime import timedelta

from sqlalchemy import text

from aid.auth.models import Role, Status
from aid.extensions import db
from aid.hotline import service as hotline
from aid.hotline.models import Channel, EventKind, HelpRequest, RequestEvent, State
from aid.hotline.privacy import purge_requests
from aid.security.audit import AuditEvent
from aid.timeutil import utcnow
from aid.voice.models import Outcome, RecordingState, VoiceCall, Voicemail
from tests.fakes.fake_twilio import tiny_wav
from tests.voice.support import CALLER


def _voicemail(line, twilio, digit: str = "1", caller: str = CALLER):
    sid, call_id, _menu = line.ring(caller)
    assert "<Record" in line.choose(call_id, sid, digit)
    recording = line.leave_voicemail(twilio, call_id, sid)
    line.hang_up(sid)
    return call_id, recording


def test_a_voicemail_becomes_a_request_in_the_callers_language(line, twilio):
    call_id, _recording = _voicemail(line, twilio, digit="2")
    req = db.session.query(HelpRequest).one()
    assert (req.channel, req.language, req.status, req.contact_method) == (
        Channel.VOICE, "es", State.NEW, "call")
    assert req.phone == CALLER
    call = db.session.get(VoiceCall, call_id)
    assert (call.outcome, call.request_id) == (Outcome.LEFT_MESSAGE, req.id)


def test_the_recording_is_fetched_encrypted_and_deleted_at_twilio(line, twilio):
    _call_id, recording = _voicemail(line, twilio)
    vm = db.session.query(Voicemail).one()
    assert vm.state == RecordingState.STORED and vm.audio == tiny_wav()
    assert recording in twilio.deleted and recording not in twilio.recordings
    fetched = [r for r in twilio.requests if recording in r["path"]]
    assert [r["method"] for r in fetched] == ["GET", "GET", "DELETE"]
    assert vm.deleted_at_twilio is not None


def test_a_recording_twilio_cannot_give_yet_is_tried_again_later(line, twilio):
    sid, call_id, _menu = line.ring()
    line.choose(call_id, sid)
    twilio.fail_next(503, 20500)
    line.leave_voicemail(twilio, call_id, sid)
    vm = db.session.query(Voicemail).one()
    assert vm.state == RecordingState.PENDING and not twilio.deleted
    vm.created_at = utcnow() - timedelta(minutes=10)
    db.session.commit()
    from aid.voice.tasks import sweep

    sweep.call_local()
    db.session.refresh(vm)
    assert vm.state == RecordingState.STORED and twilio.deleted


def test_only_coordinators_and_the_assigned_volunteer_hear_it_and_each_play_is_audited(
        app, line, twilio, make_user, aid_test):
    _voicemail(line, twilio)
    vm = db.session.query(Voicemail).one()
    path = f"/voice/voicemails/{vm.id}/audio"
    anonymous = app.test_client()
    anonymous.environ_base["wsgi.url_scheme"] = "https"
    assert "/login" in anonymous.get(path).headers["Location"]

    stranger = make_user(Role.VOLUNTEER, Status.VETTED)
    assigned = make_user(Role.VOLUNTEER, Status.VETTED)
    coordinator = make_user(Role.COORDINATOR, Status.VETTED)
    hotline.assign(db.session.get(HelpRequest, vm.request_id), assigned, coordinator)
    for person, allowed in ((stranger, False), (assigned, True), (coordinator, True)):
        browser = app.test_client()
        browser.environ_base["wsgi.url_scheme"] = "https"
        browser.environ_base["HTTP_REFERER"] = "https://localhost/"
        aid_test.sign_in(browser, person)
        response = browser.get(path)
        assert response.status_code == (200 if allowed else 404), person.email
        if allowed:
            assert response.data == tiny_wav() and "no-store" in response.headers["Cache-Control"]
    plays = db.session.query(AuditEvent).filter_by(action="voicemail.played").all()
    assert sorted(p.actor_id for p in plays) == sorted([assigned.id, coordinator.id])
    assert all(CALLER not in p.detail for p in plays)


def test_the_request_page_offers_the_recording_without_the_callers_number(
        app, line, twilio, make_user, aid_test, client):
    _voicemail(line, twilio)
    req = db.session.query(HelpRequest).one()
    aid_test.sign_in(client, make_user(Role.COORDINATOR, Status.VETTED))
    page = client.get(f"/coordinator/requests/{req.id}").get_data(as_text=True)
    assert "<audio" in page and "/voice/voicemails/" in page
    assert CALLER not in page and CALLER[2:] not in page and "555-0177" not in page


def test_hanging_up_without_a_message_leaves_a_missed_call_request(line):
    sid, call_id, _menu = line.ring()
    line.choose(call_id, sid)
    line.post(f"/voice/recorded?call={call_id}", CallSid=sid, RecordingSid="",
              RecordingDuration="0")
    line.hang_up(sid, "9")
    req = db.session.query(HelpRequest).one()
    assert req.channel == Channel.VOICE and req.phone == CALLER and "Missed call" in req.details
    assert db.session.get(VoiceCall, call_id).outcome == Outcome.MISSED


def test_a_hang_up_in_the_menu_is_a_missed_call_too(line):
    sid, call_id, _menu = line.ring()
    line.hang_up(sid, "3")
    assert db.session.get(VoiceCall, call_id).outcome == Outcome.MISSED
    assert db.session.query(HelpRequest).count() == 1


def test_a_repeated_caller_is_linked_to_their_open_request(line, twilio):
    _voicemail(line, twilio)
    sid, call_id, _menu = line.ring()
    line.hang_up(sid)
    req = db.session.query(HelpRequest).one()  # no second request
    assert db.session.get(VoiceCall, call_id).request_id == req.id
    calls = db.session.query(RequestEvent).filter_by(request_id=req.id, kind=EventKind.CALL)
    assert [e.detail for e in calls] == ["missed"]


def test_the_database_holds_neither_the_number_nor_the_recording_in_clear(
        app, line, twilio, caplog):
    caplog.set_level(logging.DEBUG)
    _voicemail(line, twilio)
    audio = tiny_wav()
    needles = [CALLER.encode(), CALLER[2:].encode(), audio[44:120], audio[:16],
               base64.b64encode(audio)[:40]]
    for table in ("voice_calls", "voice_voicemails", "help_requests", "request_events",
                  "audit_events"):
        for row in db.session.execute(text(f"SELECT * FROM {table}")):  # noqa: S608
            for value in row:
                raw = value if isinstance(value, bytes | memoryview) else str(value).encode()
                raw = bytes(raw)
                for needle in needles:
                    assert needle not in raw, (table, needle)
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert CALLER not in logged and CALLER[2:] not in logged


def test_the_voicemail_is_purged_with_its_request(line, twilio, make_user):
    _voicemail(line, twilio)
    req = db.session.query(HelpRequest).one()
    hotline.change_status(req, State.SPAM, make_user(Role.COORDINATOR, Status.VETTED))
    assert purge_requests(utcnow() + timedelta(days=1)) == 1
    assert db.session.query(Voicemail).count() == 0
