"""Staff pages: the call log, blocked numbers and the line's settings; shifts of the
hotline kind decide who is on call."""

from __future__ import annotations

from datetime import timedelta

from aid.auth.models import Role, Status
from aid.extensions import db
from aid.hotline.models import HelpRequest
from aid.security.audit import AuditEvent
from aid.shifts import service as shifts
from aid.timeutil import utcnow
from aid.voice import blocks
from aid.voice.models import Block, VoiceSettings
from tests.voice.support import CALLER


def test_the_call_log_shows_outcomes_and_requests_but_no_number(
        client, line, make_user, aid_test):
    sid, call_id, _menu = line.ring()
    line.choose(call_id, sid, "2")
    line.hang_up(sid, "14")
    req = db.session.query(HelpRequest).one()
    aid_test.sign_in(client, make_user(Role.COORDINATOR, Status.VETTED))
    page = client.get("/coordinator/calls").get_data(as_text=True)
    assert "Missed" in page and "Español" in page and req.code in page and "14 s" in page
    assert CALLER not in page and CALLER[2:] not in page
    assert db.session.query(AuditEvent).filter_by(action="voice_calls.viewed").count() == 1


def test_a_coordinator_blocks_a_caller_from_the_log_then_lifts_it(
        client, line, make_user, aid_test):
    sid, call_id, _menu = line.ring()
    line.hang_up(sid)
    aid_test.sign_in(client, make_user(Role.COORDINATOR, Status.VETTED))
    token = aid_test.csrf_token(client, "/coordinator/calls")
    client.post(f"/coordinator/calls/{call_id}/block", data={"csrf_token": token, "days": "7"})
    assert blocks.is_blocked(CALLER)
    block = db.session.query(Block).one()
    assert block.expires_at < utcnow() + timedelta(days=8)
    page = client.get("/coordinator/calls/blocks").get_data(as_text=True)
    assert f"call {call_id}" in page and CALLER not in page
    client.post(f"/coordinator/calls/blocks/{block.id}/renew",
                data={"csrf_token": token, "days": "90"})
    db.session.refresh(block)
    assert block.expires_at > utcnow() + timedelta(days=90)
    client.post(f"/coordinator/calls/blocks/{block.id}/lift", data={"csrf_token": token})
    assert not blocks.is_blocked(CALLER)
    actions = [a for (a,) in db.session.query(AuditEvent.action).filter(
        AuditEvent.action.like("voice.block%")).order_by(AuditEvent.id)]
    assert actions == ["voice.blocked", "voice.block_renewed", "voice.block_lifted"]


def test_a_block_expires_by_itself(app, make_user):
    block = blocks.block_number(CALLER, make_user(Role.COORDINATOR), 7)
    block.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert not blocks.is_blocked(CALLER)


def test_a_typed_number_can_be_blocked_and_a_bad_one_is_refused_with_the_text_kept(
        client, make_user, aid_test):
    aid_test.sign_in(client, make_user(Role.COORDINATOR, Status.VETTED))
    bad = aid_test.post_form(client, "/coordinator/calls/blocks", {"phone": "12ab", "days": "30"})
    assert bad.status_code == 400 and 'value="12ab"' in bad.get_data(as_text=True)
    good = aid_test.post_form(client, "/coordinator/calls/blocks",
                              {"phone": "(202) 555-0177", "days": "30"})
    assert good.status_code == 302 and blocks.is_blocked(CALLER)


def test_volunteers_cannot_see_the_call_log_or_blocks(client, make_user, aid_test):
    aid_test.sign_in(client, make_user(Role.VOLUNTEER, Status.VETTED))
    assert client.get("/coordinator/calls").status_code == 403
    assert client.get("/coordinator/calls/blocks").status_code == 403
    assert client.get("/admin/settings/voice").status_code == 403


def test_an_admin_sets_greetings_ring_time_and_voicemail_length(
        client, line, make_user, aid_test):
    aid_test.sign_in(client, make_user(Role.ADMIN, Status.VETTED))
    assert "/admin/settings/voice" in client.get("/admin/settings").get_data(as_text=True)
    response = aid_test.post_form(client, "/admin/settings/voice", {
        "enabled": "y", "greeting_en": "Hello from the rapid response line.",
        "greeting_es": "Hola, esta es la línea de respuesta rápida.", "ring_seconds": "15",
        "voicemail_seconds": "60"})
    assert response.status_code == 302
    row = db.session.get(VoiceSettings, 1)
    assert (row.ring_seconds, row.voicemail_seconds) == (15, 60)
    _sid, _call_id, menu = line.ring()
    assert "Hello from the rapid response line." in menu and "Hola, esta es" in menu
    refused = aid_test.post_form(client, "/admin/settings/voice", {
        "enabled": "y", "greeting_en": "Hi", "ring_seconds": "999", "voicemail_seconds": "60"})
    assert refused.status_code == 400 and "Hi" in refused.get_data(as_text=True)


def test_a_hotline_shift_under_way_puts_its_volunteers_on_call(app, on_call, volunteer):
    ana = volunteer()
    assert shifts.on_call() == []
    on_call(ana)
    assert shifts.on_call() == [ana.id]
    assert shifts.on_call(utcnow() + timedelta(hours=3)) == []
