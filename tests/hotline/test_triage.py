"""The coordinators' queue and a request's page: transitions, assignment, notes, merge, replies."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, text

from aid.extensions import db
from aid.hotline import service
from aid.hotline.models import EventKind, HelpRequest, RequestEvent, State
from aid.security.audit import AuditEvent
from aid.sms.models import OutboundMessage
from aid.sms.service import suppress
from aid.timeutil import utcnow


def events_of(req: HelpRequest, kind: EventKind) -> list[RequestEvent]:
    return list(db.session.scalars(select(RequestEvent).where(
        RequestEvent.request_id == req.id, RequestEvent.kind == kind).order_by(RequestEvent.id)))


def test_anonymous_is_sent_to_sign_in_and_volunteers_are_refused(client, signed_in):
    assert client.get("/coordinator/requests").headers["Location"].startswith("/login")
    signed_in("volunteer", "vetted")
    assert client.get("/coordinator/requests").status_code == 403
    assert client.get("/coordinator/requests/new").status_code == 403


def test_queue_puts_the_most_urgent_first_then_the_newest(client, signed_in, make_request):
    signed_in("coordinator")
    weeks = make_request(urgency="weeks")
    old_now = make_request(urgency="now")
    old_now.created_at -= timedelta(hours=3)
    new_now = make_request(urgency="now")
    db.session.commit()
    html = client.get("/coordinator/requests").get_data(as_text=True)
    order = [html.index(r.code) for r in (new_now, old_now, weeks)]
    assert order == sorted(order)
    assert "Ana" not in html and "4155550123" not in html  # nor who they are


def test_a_staff_card_shows_the_first_words_of_the_need_cut_at_a_word(client, signed_in,
                                                                       make_request):
    signed_in("coordinator")
    short = make_request()
    long = make_request(details="Three children and no heating since Monday, the landlord "
                                "refuses to answer and we are afraid to call anyone")
    html = client.get("/coordinator/requests").get_data(as_text=True)
    assert "We have no food until Friday" in html
    assert "Three children and no heating since Monday, the landlord…" in html
    assert "refuses to answer" not in html
    assert short.code in html and long.code in html


def test_a_volunteers_own_list_never_shows_the_need(client, signed_in, make_request):
    volunteer = signed_in("volunteer", "vetted")
    req = make_request()
    req.assignee_id = volunteer.id
    db.session.commit()
    html = client.get("/my/requests").get_data(as_text=True)
    assert req.code in html and "no food" not in html


def test_counts_per_status_and_the_filters(client, signed_in, make_request, areas):
    coordinator = signed_in("coordinator")
    legal = make_request(category="legal", language="es", area_id=areas[1].id)
    food = make_request(category="food")
    service.change_status(food, State.TRIAGED, coordinator)
    html = client.get("/coordinator/requests").get_data(as_text=True)
    assert 'New <span class="count">1</span>' in html
    assert 'Triaged <span class="count">1</span>' in html
    assert 'All open <span class="count">2</span>' in html
    for query in ("category=legal", "language=es", f"area={areas[1].id}", "status=new"):
        html = client.get(f"/coordinator/requests?{query}").get_data(as_text=True)
        assert legal.code in html and food.code not in html, query
    html = client.get("/coordinator/requests?urgency=now").get_data(as_text=True)
    assert "No requests match" in html


def test_search_by_code_and_age_filters(client, signed_in, make_request):
    signed_in("coordinator")
    one, other = make_request(), make_request()
    other.created_at = other.handled_at = utcnow() - timedelta(days=4)
    db.session.commit()
    html = client.get(f"/coordinator/requests?code={one.code.lower()}").get_data(as_text=True)
    assert one.code in html and other.code not in html
    html = client.get("/coordinator/requests?age=3").get_data(as_text=True)
    assert other.code in html and one.code not in html
    html = client.get("/coordinator/requests?age=stale").get_data(as_text=True)
    assert other.code in html and one.code not in html and "untouched" in html


def test_the_queue_is_paginated(aid_test, app_factory, make_user):
    app = app_factory(AID_ITEMS_PER_PAGE="3")
    with app.app_context():

        client = app.test_client()
        aid_test.sign_in(client, make_user("coordinator"))
        for _ in range(5):
            service.create_request(service.Intake("food", "days", None, "en", "check_back",
                                                  "rice"))
        html = client.get("/coordinator/requests").get_data(as_text=True)
        assert "Page 1 of 2" in html and html.count('class="code"') == 3
        html = client.get("/coordinator/requests?page=2").get_data(as_text=True)
        assert html.count('class="code"') == 2


def test_the_queue_does_a_bounded_number_of_queries(aid_test, client, signed_in, make_request,
                                                    make_user):
    coordinator = signed_in("coordinator")
    volunteers = [make_user("volunteer", "vetted") for _ in range(3)]
    for i in range(5):
        service.assign(make_request(), volunteers[i % 3], coordinator)
    few = aid_test.count_queries(client, "/coordinator/requests")
    for i in range(35):
        service.assign(make_request(), volunteers[i % 3], coordinator)
    many = aid_test.count_queries(client, "/coordinator/requests")
    assert many == few, (few, many)
    assert few <= 15


def test_opening_a_request_is_audited_and_shows_the_contact(client, signed_in, make_request):
    coordinator = signed_in("coordinator")
    req = make_request()
    html = client.get(f"/coordinator/requests/{req.id}").get_data(as_text=True)
    assert "We have no food until Friday" in html and "+1 415-555-0123" in html
    entry = db.session.scalar(select(AuditEvent).where(
        AuditEvent.action == "help_request.viewed"))
    assert (entry.target_id, entry.actor_id, entry.detail) == (req.id, coordinator.id, "")


@pytest.mark.parametrize(("path", "to"), [
    ([State.TRIAGED], State.TRIAGED),
    ([State.TRIAGED, State.WAITING], State.WAITING),
    ([State.TRIAGED, State.RESOLVED], State.RESOLVED),
    ([State.SPAM], State.SPAM),
    ([State.WITHDRAWN], State.WITHDRAWN),
    ([State.RESOLVED], None),  # new -> resolved is not a step: it must be looked at first
])
def test_each_transition_is_stamped_with_who_and_when(aid_test, client, signed_in, make_request,
                                                      path, to):
    coordinator = signed_in("coordinator")
    req = make_request()
    for step in path:
        response = aid_test.post_form(client, f"/coordinator/requests/{req.id}/status",
                                      {"status": step.value})
        assert response.status_code == 302
    db.session.refresh(req)
    if to is None:
        assert req.state == State.NEW
        assert "not possible" in client.get(f"/coordinator/requests/{req.id}").get_data(True)
        return
    assert req.state == to
    last = events_of(req, EventKind.STATUS)[-1]
    assert (last.to_status, last.actor_id) == (to, coordinator.id)
    assert utcnow() - last.at < timedelta(minutes=1)
    html = client.get(f"/coordinator/requests/{req.id}").get_data(as_text=True)
    assert coordinator.display_name in html and "changed the status" in html


def test_ending_a_request_sets_its_purge_date_and_reopening_clears_it(app, make_request,
                                                                      make_user):
    coordinator = make_user("coordinator")
    req = make_request()
    service.change_status(req, State.TRIAGED, coordinator)
    service.change_status(req, State.RESOLVED, coordinator)
    assert req.purge_after - req.ended_at == timedelta(days=90)
    service.change_status(req, State.TRIAGED, coordinator)
    assert req.purge_after is None and req.ended_at is None


def test_triage_corrects_the_request_and_moves_it_on(aid_test, client, signed_in, make_request,
                                                     areas):
    signed_in("coordinator")
    req = make_request(category="other", urgency="weeks")
    response = aid_test.post_form(client, f"/coordinator/requests/{req.id}/triage", {
        "category": "housing", "urgency": "now", "area": str(areas[1].id), "language": "es"})
    assert response.status_code == 302
    db.session.refresh(req)
    assert (req.category, req.urgency, req.area_id, req.language, req.state) == (
        "housing", 3, areas[1].id, "es", State.TRIAGED)


def test_assigning_to_a_vetted_volunteer(aid_test, client, signed_in, make_request, make_user):
    signed_in("coordinator")
    rosa = make_user("volunteer", "vetted", name="Rosa")
    sam = make_user("volunteer", "applied", name="Sam")
    req = make_request()
    html = client.get(f"/coordinator/requests/{req.id}").get_data(as_text=True)
    # Only vetted people are offered, each with why (here: no profile, no open request).
    assert ">Rosa · 0 open<" in html and "Sam" not in html
    response = aid_test.post_form(client, f"/coordinator/requests/{req.id}/assign",
                                  {"volunteer": str(sam.id)})
    assert response.status_code == 400 and db.session.get(HelpRequest, req.id).assignee_id is None
    response = aid_test.post_form(client, f"/coordinator/requests/{req.id}/assign",
                                  {"volunteer": str(rosa.id)})
    assert response.status_code == 302
    db.session.refresh(req)
    assert req.assignee_id == rosa.id and req.state == State.ASSIGNED
    assert events_of(req, EventKind.ASSIGNED)[0].subject_id == rosa.id
    html = client.get("/coordinator/requests").get_data(as_text=True)
    assert "Rosa" in html
    assert db.session.scalar(select(AuditEvent.detail).where(
        AuditEvent.action == "help_request.assigned")) == f"user {rosa.id}"


def test_sending_an_assigned_request_back_to_triage_unassigns_it(app, make_request, make_user):
    coordinator, rosa = make_user("coordinator"), make_user("volunteer", "vetted")
    req = make_request()
    service.assign(req, rosa, coordinator)
    service.change_status(req, State.TRIAGED, coordinator)
    assert req.assignee_id is None and req.state == State.TRIAGED


def test_notes_go_into_the_timeline_encrypted(aid_test, client, signed_in, make_request):
    coordinator = signed_in("coordinator")
    req = make_request()
    response = aid_test.post_form(client, f"/coordinator/requests/{req.id}/note",
                                  {"body": "Called back, she needs a lawyer by Monday"})
    assert response.status_code == 302
    note = events_of(req, EventKind.NOTE)[0]
    assert note.actor_id == coordinator.id and note.body.startswith("Called back")
    raw = db.session.execute(text("SELECT body FROM request_events WHERE id = :id"),
                             {"id": note.id}).scalar()
    assert b"lawyer" not in bytes(raw)
    html = client.get(f"/coordinator/requests/{req.id}").get_data(as_text=True)
    assert "Called back, she needs a lawyer by Monday" in html
    empty = aid_test.post_form(client, f"/coordinator/requests/{req.id}/note", {"body": ""})
    assert empty.status_code == 400


def test_merging_a_duplicate(aid_test, client, signed_in, make_request):
    signed_in("coordinator")
    first = make_request(phone="")
    again = make_request(details="Same family, still no food")
    response = aid_test.post_form(client, f"/coordinator/requests/{again.id}/merge",
                                  {"code": first.code.lower()})
    assert response.headers["Location"] == f"/coordinator/requests/{first.id}"
    db.session.refresh(first)
    db.session.refresh(again)
    assert again.state == State.DUPLICATE and again.merged_into_id == first.id
    assert again.purge_after is not None
    assert first.phone == "+14155550123"  # the duplicate's number now reaches the first
    html = client.get(f"/coordinator/requests/{first.id}").get_data(as_text=True)
    assert "Same family, still no food" in html and f"merged with {again.code}" in html
    # the requester's own code now shows the status of the request it joined
    assert service.public_state(again) == State.NEW


def test_merging_into_an_unknown_or_the_same_request_is_refused(aid_test, client, signed_in,
                                                                make_request):
    signed_in("coordinator")
    req = make_request()
    for code, message in (("AAA-AAA", "No request has this code"),
                          (req.code, "Both requests must be open")):
        response = aid_test.post_form(client, f"/coordinator/requests/{req.id}/merge",
                                      {"code": code})
        assert response.status_code == 400 and message in response.get_data(as_text=True)


def test_a_reply_is_texted_through_the_gateway_and_recorded(aid_test, client, signed_in,
                                                            make_request):
    coordinator = signed_in("coordinator")
    req = make_request()
    response = aid_test.post_form(client, f"/coordinator/requests/{req.id}/reply",
                                  {"message": "We found a lawyer. She will call you at 5."})
    assert response.status_code == 302
    reply = events_of(req, EventKind.REPLY)[0]
    assert reply.actor_id == coordinator.id and reply.detail == "sms sent"
    assert reply.body == "We found a lawyer. She will call you at 5."
    # The console backend's outbox holds the text, to the requester, under its purpose.
    sent = db.session.scalar(select(OutboundMessage))
    assert (sent.to, sent.body, sent.purpose, sent.status) == (
        "+14155550123", "We found a lawyer. She will call you at 5.", "hotline_reply", "sent")
    html = client.get(f"/coordinator/requests/{req.id}").get_data(as_text=True)
    assert "replied by text" in html and "We found a lawyer" in html


def test_a_reply_to_an_opted_out_number_is_not_sent_and_says_so(aid_test, client, signed_in,
                                                                make_request):
    signed_in("coordinator")
    req = make_request()
    suppress("+14155550123", "keyword")
    page = aid_test.post_form(client, f"/coordinator/requests/{req.id}/reply",
                              {"message": "Are you safe?"}, follow_redirects=True)
    html = page.get_data(as_text=True)
    assert "Not sent: this number has opted out of texts" in html
    assert "not sent: this number has opted out of texts" in html  # the timeline says it too
    assert events_of(req, EventKind.REPLY)[0].detail == "sms suppressed"
    assert db.session.scalar(select(OutboundMessage)) is None


def test_no_reply_without_a_phone_number(aid_test, client, signed_in, make_request):
    signed_in("coordinator")
    req = make_request(phone="", contact_method="check_back")
    response = aid_test.post_form(client, f"/coordinator/requests/{req.id}/reply",
                                  {"message": "Hi"},
                                  follow_redirects=True)
    assert "no phone number" in response.get_data(as_text=True)
    assert events_of(req, EventKind.REPLY) == []


def test_untouched_requests_are_flagged(client, signed_in, make_request):
    signed_in("coordinator")
    req = make_request()
    req.created_at = req.handled_at = utcnow() - timedelta(hours=25)
    fresh = make_request()
    db.session.commit()
    html = client.get("/coordinator/requests").get_data(as_text=True)
    assert html.count("untouched") == 1 and 'class="stale"' in html
    assert service.is_stale(req) and not service.is_stale(fresh)
    html = client.get(f"/coordinator/requests/{req.id}").get_data(as_text=True)
    assert "Nobody has acted on this request for too long" in html
