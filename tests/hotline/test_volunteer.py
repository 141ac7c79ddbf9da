"""A vetted volunteer sees only the requests they hold, without the requester's number."""

from __future__ import annotations

from sqlalchemy import select

from aid.extensions import db
from aid.hotline import service
from aid.hotline.models import EventKind, RequestEvent, State
from aid.security.audit import AuditEvent
from aid.sms.models import OutboundMessage


def test_a_volunteer_sees_their_requests_and_nobody_elses(aid_test, client, signed_in, make_request,
                                                          make_user):
    rosa = signed_in("volunteer", "vetted")
    coordinator, dev = make_user("coordinator"), make_user("volunteer", "vetted")
    mine, theirs = make_request(), make_request(details="Somebody else's story")
    service.assign(mine, rosa, coordinator)
    service.assign(theirs, dev, coordinator)
    html = client.get("/my/requests").get_data(as_text=True)
    assert mine.code in html and theirs.code not in html
    assert client.get(f"/my/requests/{theirs.id}").status_code == 404
    assert aid_test.post_form(client, f"/my/requests/{theirs.id}/note",
                              {"body": "x"}).status_code == 404
    response = aid_test.post_form(client, f"/my/requests/{theirs.id}/progress",
                                  {"status": "resolved"})
    assert response.status_code == 404
    assert client.get(f"/coordinator/requests/{theirs.id}").status_code == 403


def test_the_volunteer_page_has_what_they_need_and_not_the_number(client, signed_in,
                                                                  make_request, make_user):
    rosa = signed_in("volunteer", "vetted")
    req = make_request()
    service.assign(req, rosa, make_user("coordinator"))
    html = client.get(f"/my/requests/{req.id}").get_data(as_text=True)
    assert "We have no food until Friday" in html and "Ana" in html
    assert "415" not in html and "5550123" not in html
    entry = db.session.scalar(select(AuditEvent).where(
        AuditEvent.action == "help_request.viewed"))
    assert (entry.target_id, entry.actor_id) == (req.id, rosa.id)


def test_a_volunteer_adds_notes_and_marks_progress_to_resolved(aid_test, client, signed_in,
                                                               make_request,
                                                               make_user):
    rosa = signed_in("volunteer", "vetted")
    req = make_request()
    service.assign(req, rosa, make_user("coordinator"))
    assert aid_test.post_form(client, f"/my/requests/{req.id}/note",
                              {"body": "Dropped off groceries"}).status_code == 302
    for step in ("in_progress", "resolved"):
        response = aid_test.post_form(client, f"/my/requests/{req.id}/progress", {"status": step})
        assert response.status_code == 302
    db.session.refresh(req)
    assert req.state == State.RESOLVED and req.purge_after is not None
    stamps = db.session.scalars(select(RequestEvent).where(
        RequestEvent.request_id == req.id, RequestEvent.actor_id == rosa.id)).all()
    assert {e.kind for e in stamps} == {EventKind.NOTE, EventKind.STATUS}
    html = client.get(f"/my/requests/{req.id}").get_data(as_text=True)
    assert "Dropped off groceries" in html and "Resolved" in html
    # once resolved, only a coordinator can reopen it
    response = aid_test.post_form(client, f"/my/requests/{req.id}/progress", {"status": "triaged"},
                                  follow_redirects=True)
    assert "not possible" in response.get_data(as_text=True)


def test_a_volunteer_texts_the_requester_through_the_app(aid_test, client, signed_in, make_request,
                                                         make_user):
    rosa = signed_in("volunteer", "vetted")
    req = make_request()
    service.assign(req, rosa, make_user("coordinator"))
    response = aid_test.post_form(client, f"/my/requests/{req.id}/reply",
                                  {"message": "I will be there at 4."})
    assert response.status_code == 302
    reply = db.session.scalar(select(RequestEvent).where(RequestEvent.kind == EventKind.REPLY))
    assert reply.actor_id == rosa.id and reply.detail == "sms sent"
    sent = db.session.scalar(select(OutboundMessage))
    assert (sent.to, sent.body, sent.purpose) == ("+14155550123", "I will be there at 4.",
                                                  "hotline_reply")


def test_volunteers_not_yet_vetted_cannot_reach_requests(client, signed_in):
    signed_in("volunteer", "applied")
    assert client.get("/my/requests").status_code == 403
    html = client.get("/").get_data(as_text=True)
    assert "My requests" not in html and "Ask for help" in html


def test_navigation_by_role(aid_test, client, signed_in):
    html = client.get("/").get_data(as_text=True)
    assert 'href="/help"' in html and 'href="/coordinator/requests"' not in html
    signed_in("volunteer", "vetted")
    html = client.get("/").get_data(as_text=True)
    assert 'href="/my/requests"' in html and 'href="/coordinator/requests"' not in html
    aid_test.post_form(client, "/logout", {})
    signed_in("coordinator")
    html = client.get("/").get_data(as_text=True)
    assert 'href="/coordinator/requests"' in html
