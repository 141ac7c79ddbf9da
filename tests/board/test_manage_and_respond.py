from __future__ import annotations

from sqlalchemy import select, text

from aid.auth.models import Role, Status
from aid.board.models import Post, PostStatus, Response
from aid.extensions import db
from tests.board.support import link_path


def test_the_manage_link_edits_and_sends_the_post_back_for_review(aid_test, client, make_post,
                                                                  areas):
    post, token = make_post("Crib", contact="old contact")
    response = aid_test.post_form(client, f"/board/manage/{token}/edit", {
        "category": "goods", "area": str(areas["Riverside"].id), "title": "Crib and mattress",
        "description": "Clean, smoke-free home.", "contact": "new contact"})
    assert response.headers["Location"] == f"/board/manage/{token}"
    db.session.refresh(post)
    assert post.title == "Crib and mattress" and post.contact == "new contact"
    assert post.status == PostStatus.PENDING  # pre-moderation: an edit is checked again
    assert "Crib and mattress" not in client.get("/board").get_data(as_text=True)


def test_the_poster_marks_the_post_fulfilled(aid_test, client, make_post):
    post, token = make_post("Bag of groceries")
    aid_test.post_form(client, f"/board/manage/{token}", {"action": "fulfil"})
    db.session.refresh(post)
    assert post.status == PostStatus.FULFILLED and post.purge_at > post.closed_at
    assert "Bag of groceries" not in client.get("/board").get_data(as_text=True)
    assert "Fulfilled" in client.get(f"/board/manage/{token}").get_data(as_text=True)


def test_the_poster_deletes_the_post_and_its_messages(aid_test, client, make_post):
    post, token = make_post()
    from aid.board import service

    service.respond(post, "I can bring it")
    aid_test.post_form(client, f"/board/manage/{token}", {"action": "delete"})
    assert db.session.scalar(select(Post)) is None and db.session.scalar(select(Response)) is None
    assert db.session.execute(text("SELECT count(*) FROM board_words")).scalar() == 0
    assert client.get(f"/board/manage/{token}").status_code == 404


def test_a_wrong_or_missing_link_finds_nothing(client, make_post):
    make_post()
    assert client.get("/board/manage/not-the-token").status_code == 404
    assert client.get("/board/reply/not-the-token").status_code == 404


def test_an_account_manages_only_its_own_posts(aid_test, client, make_post, make_user, signed_in):
    owner = make_user(Role.VOLUNTEER, Status.VETTED)
    post, _ = make_post("Owner's offer", author=owner)
    signed_in(Role.VOLUNTEER, Status.VETTED)
    assert client.get(f"/board/mine/{post.id}").status_code == 404
    assert aid_test.post_form(client, f"/board/mine/{post.id}",
                              {"action": "delete"}).status_code in (
        400, 404)
    assert db.session.get(Post, post.id) is not None


def test_responses_keep_contacts_hidden_until_the_poster_agrees(aid_test, client, make_post):
    post, token = make_post("Ride to the clinic", kind="need", category="transport",
                            contact="poster-signal-123")
    show = client.get(f"/board/{post.id}").get_data(as_text=True)
    assert "I can help" in show
    html = aid_test.post_form(client, f"/board/{post.id}/respond", {
        "message": "I have a car on Tuesdays", "contact": "helper-phone-456"}).get_data(
        as_text=True)
    reply = link_path(html, "/board/reply/")
    raw = db.session.execute(text("SELECT message, contact FROM board_responses")).one()
    assert b"Tuesdays" not in bytes(raw[0]) and b"helper-phone" not in bytes(raw[1])

    manage = client.get(f"/board/manage/{token}").get_data(as_text=True)
    assert "I have a car on Tuesdays" in manage and "helper-phone-456" not in manage
    mine = client.get(reply).get_data(as_text=True)
    assert "not shared contacts yet" in mine and "poster-signal-123" not in mine

    answer = db.session.scalar(select(Response))
    aid_test.post_form(client, f"/board/manage/{token}", {"action": "share", "response": answer.id})
    assert "helper-phone-456" in client.get(f"/board/manage/{token}").get_data(as_text=True)
    assert "poster-signal-123" in client.get(reply).get_data(as_text=True)


def test_sharing_needs_the_posts_own_response(aid_test, client, make_post):
    from aid.board import service

    first, token = make_post("First")
    other, _ = make_post("Other")
    answer, _ = service.respond(other, "hello", "secret-contact")
    response = aid_test.post_form(client, f"/board/manage/{token}", {"action": "share",
                                                                     "response": answer.id})
    assert response.status_code == 404
    db.session.refresh(answer)
    assert answer.shared_at is None


def test_a_responder_withdraws_their_message(aid_test, client, make_post):
    post, token = make_post()
    html = aid_test.post_form(client, f"/board/{post.id}/respond",
                              {"message": "Count me in"}).get_data(
        as_text=True)
    reply = link_path(html, "/board/reply/")
    aid_test.post_form(client, reply, {"action": "withdraw"})
    assert "Count me in" not in client.get(f"/board/manage/{token}").get_data(as_text=True)


def test_an_offer_is_answered_with_i_need_this(aid_test, client, make_post):
    post, _ = make_post("Spare blankets", kind="offer")
    assert "I need this" in client.get(f"/board/{post.id}").get_data(as_text=True)
    response = aid_test.post_form(client, f"/board/{post.id}/respond", {"message": ""})
    assert response.status_code == 400


def test_the_manage_page_suggests_matching_posts(client, make_post):
    need, token = make_post("Need groceries", kind="need", category="food", area="Eastside")
    make_post("Groceries to give", kind="offer", category="food", area="Eastside")
    make_post("Groceries elsewhere", kind="offer", category="food", area="Riverside")
    make_post("Another need", kind="need", category="food", area="Eastside")
    make_post("A ride on offer", kind="offer", category="transport", area="Eastside")
    html = client.get(f"/board/manage/{token}").get_data(as_text=True)
    assert "Groceries to give" in html
    for other in ("Groceries elsewhere", "Another need", "A ride on offer"):
        assert other not in html


def test_a_fulfilled_post_stops_suggesting_matches(aid_test, client, make_post):
    offer, token = make_post("Groceries to give", kind="offer", category="food", area="Eastside")
    make_post("Need groceries", kind="need", category="food", area="Eastside")
    assert "Need groceries" in client.get(f"/board/manage/{token}").get_data(as_text=True)
    aid_test.post_form(client, f"/board/manage/{token}", {"action": "fulfil"})
    html = client.get(f"/board/manage/{token}").get_data(as_text=True)
    assert "Fulfilled" in html
    assert "Needs you might meet" not in html and "Need groceries" not in html
