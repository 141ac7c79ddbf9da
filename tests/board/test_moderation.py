from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from aid.auth.models import Role, Status
from aid.board import moderation
from aid.board.models import Match, Post, PostStatus, Response
from aid.extensions import db
from aid.security import access
from aid.security.access import Level
from aid.security.audit import AuditEvent
from aid.timeutil import utcnow


def _actions(name: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == name)))


def test_the_queue_shows_posts_waiting_and_a_coordinator_approves(aid_test, client, make_post,
                                                                  signed_in):
    post, _ = make_post("Waiting for approval", status=PostStatus.PENDING)
    make_post("Already open")
    signed_in(Role.COORDINATOR, Status.VETTED)
    html = client.get("/coordinator/board").get_data(as_text=True)
    assert "Waiting for approval" in html and "Already open" not in html
    assert "Moderation" in html  # nav link
    aid_test.post_form(client, f"/coordinator/board/{post.id}/action", {"action": "approve"})
    assert "Waiting for approval" in client.get("/board").get_data(as_text=True)
    assert _actions("board.post_approved")[0].target_id == post.id


def test_a_coordinator_sees_the_contact_and_the_view_is_audited(client, make_post, signed_in):
    post, _ = make_post("Offer", contact="call-me-999")
    from aid.board import service

    service.respond(post, "I need it", "responder-777")
    signed_in(Role.COORDINATOR, Status.VETTED)
    html = client.get(f"/coordinator/board/{post.id}").get_data(as_text=True)
    assert "call-me-999" in html and "responder-777" in html and "I need it" in html
    viewed = _actions("board_post.viewed")
    assert viewed and viewed[0].target_id == post.id and "call-me" not in viewed[0].detail


def test_hide_edit_and_remove(aid_test, client, make_post, signed_in):
    post, _ = make_post("Fishy offer")
    signed_in(Role.COORDINATOR, Status.VETTED)
    aid_test.post_form(client, f"/coordinator/board/{post.id}/action", {"action": "hide"})
    assert "Fishy offer" not in client.get("/board").get_data(as_text=True)
    aid_test.post_form(client, f"/coordinator/board/{post.id}/edit", {
        "category": "goods", "area": str(post.area_id), "title": "Cleaned-up offer",
        "description": "Without the street address."})
    db.session.refresh(post)
    assert post.title == "Cleaned-up offer" and post.status == PostStatus.HIDDEN
    aid_test.post_form(client, f"/coordinator/board/{post.id}/action", {"action": "remove"})
    assert db.session.get(Post, post.id) is None
    assert _actions("board.post_removed")[0].target_id == post.id


def test_flags_reach_the_flagged_list(aid_test, client, make_post, signed_in):
    post, _ = make_post("Suspicious post")
    make_post("Fine post")
    response = aid_test.post_form(client, f"/board/{post.id}/flag", {"reason": "scam"})
    assert response.status_code == 302
    aid_test.post_form(client, f"/board/{post.id}/flag", {"reason": "personal"})
    db.session.refresh(post)
    assert post.flag_count == 2
    signed_in(Role.COORDINATOR, Status.VETTED)
    html = client.get("/coordinator/board?view=flagged").get_data(as_text=True)
    assert "Suspicious post" in html and "Fine post" not in html
    detail = client.get(f"/coordinator/board/{post.id}").get_data(as_text=True)
    assert "Looks like a scam: 1" in detail
    aid_test.post_form(client, f"/coordinator/board/{post.id}/action", {"action": "clear_flags"})
    assert "Suspicious post" not in client.get("/coordinator/board?view=flagged").get_data(
        as_text=True)


def test_a_coordinator_brokers_a_match_and_both_posters_see_it(aid_test, client, make_post,
                                                               signed_in):
    need, need_token = make_post("Need a winter coat", kind="need", category="goods")
    offer, _ = make_post("Coats to give", kind="offer", category="goods", area="Riverside")
    signed_in(Role.COORDINATOR, Status.VETTED)
    response = aid_test.post_form(client, f"/coordinator/board/{need.id}/match",
                                  {"other_id": offer.id})
    assert response.status_code == 302
    assert db.session.scalar(select(func.count()).select_from(Match)) == 1
    assert {e.target_id for e in _actions("board.matched")} == {need.id, offer.id}
    html = client.get(f"/coordinator/board/{offer.id}").get_data(as_text=True)
    assert "Need a winter coat" in html
    poster = client.application.test_client()  # the need's poster, with their private link
    assert "Coats to give" in poster.get(f"/board/manage/{need_token}").get_data(as_text=True)


def test_a_match_needs_a_need_and_an_offer(aid_test, client, make_post, signed_in):
    one, _ = make_post("Offer one")
    two, _ = make_post("Offer two")
    signed_in(Role.COORDINATOR, Status.VETTED)
    aid_test.post_form(client, f"/coordinator/board/{one.id}/match", {"other_id": two.id})
    assert db.session.scalar(select(func.count()).select_from(Match)) == 0


def test_volunteers_and_the_public_cannot_moderate(aid_test, client, make_post, signed_in):
    post, _ = make_post()
    assert client.get("/coordinator/board").status_code == 302  # to sign-in
    signed_in(Role.VOLUNTEER, Status.VETTED)
    assert client.get("/coordinator/board").status_code == 403
    assert client.get(f"/coordinator/board/{post.id}").status_code == 403
    assert aid_test.post_form(client, f"/coordinator/board/{post.id}/action",
                              {"action": "remove"}).status_code == 403
    assert db.session.get(Post, post.id) is not None


def test_every_board_route_has_an_access_rule(app):
    endpoints = {r.endpoint for r in app.url_map.iter_rules() if r.endpoint.startswith("board.")}
    rules = access.rules(app)
    assert endpoints and endpoints <= set(rules)
    assert all(rules[e] >= Level.COORDINATOR for e in endpoints if "mod" in e)


def test_expired_posts_close_and_are_purged_after_retention(app, make_post):
    old, _ = make_post("Old need", kind="need")
    fresh, _ = make_post("Fresh need", kind="need")
    from aid.board import service

    service.respond(old, "I can help", "123")
    old.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    from aid.board.tasks import close_and_purge_posts

    close_and_purge_posts()  # the periodic job (Huey runs it at once in tests)
    db.session.refresh(old)
    db.session.refresh(fresh)
    assert old.status == PostStatus.EXPIRED and fresh.status == PostStatus.OPEN
    assert old.purge_at.date() == (old.closed_at + timedelta(days=30)).date()
    assert moderation.purge(utcnow() + timedelta(days=29)) == 0
    assert moderation.purge(utcnow() + timedelta(days=31)) == 1
    assert db.session.get(Post, old.id) is None and db.session.get(Post, fresh.id) is not None
    assert db.session.scalar(select(func.count()).select_from(Response)) == 0


def test_an_expired_post_cannot_be_approved(aid_test, client, make_post, signed_in):
    post, _ = make_post(status=PostStatus.PENDING)
    post.expires_at = utcnow() - timedelta(hours=1)
    db.session.commit()
    signed_in(Role.COORDINATOR, Status.VETTED)
    aid_test.post_form(client, f"/coordinator/board/{post.id}/action", {"action": "approve"})
    db.session.refresh(post)
    assert post.status == PostStatus.PENDING
