from __future__ import annotations

from sqlalchemy import select, text

from aid.auth.models import Role, Status
from aid.board.models import Post, PostStatus
from aid.extensions import db
from tests.board.support import link_path


def _form(areas, **changes):
    data = {"kind": "need", "category": "food", "area": str(areas["Eastside"].id),
            "title": "Groceries for a family of four", "description": "Rice, milk, diapers.",
            "quantity": "Once a week", "first_name": "", "contact": "+1 555 010 0123",
            "expiry_days": "14"}
    data.update(changes)
    return data


def test_someone_without_an_account_posts_and_gets_a_private_link(aid_test, client, areas):
    response = aid_test.post_form(client, "/board/new", _form(areas))
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "keep this link" in html
    manage = link_path(html, "/board/manage/")
    post = db.session.scalar(select(Post))
    assert post.status == PostStatus.PENDING and post.author_id is None
    # Only a hash of the link is stored.
    assert post.manage_token_hash not in manage and manage.split("/")[-1] not in str(
        db.session.execute(text("SELECT manage_token_hash FROM board_posts")).all())
    # Waiting for a coordinator: not on the public board yet, but the poster sees it.
    assert "Groceries for a family" not in client.get("/board").get_data(as_text=True)
    page = client.get(manage).get_data(as_text=True)
    assert "Groceries for a family of four" in page and "Waiting for a coordinator" in page
    assert 14 <= (post.expires_at - post.created_at).days <= 14


def test_a_vetted_volunteer_posts_from_their_account_straight_onto_the_board(
        aid_test, client, areas, signed_in):
    user = signed_in(Role.VOLUNTEER, Status.VETTED)
    response = aid_test.post_form(client, "/board/new", _form(areas, kind="offer",
                                                              title="Spare crib"))
    post = db.session.scalar(select(Post))
    assert response.headers["Location"] == f"/board/mine/{post.id}"
    assert post.author_id == user.id and post.manage_token_hash is None
    assert post.status == PostStatus.OPEN
    assert "Spare crib" in client.get("/board").get_data(as_text=True)
    assert "Spare crib" in client.get("/board/mine").get_data(as_text=True)


def test_an_unvetted_volunteer_posts_like_anyone_else(aid_test, client, areas, signed_in):
    signed_in(Role.VOLUNTEER, Status.APPLIED)
    html = aid_test.post_form(client, "/board/new", _form(areas)).get_data(as_text=True)
    assert "/board/manage/" in html
    assert db.session.scalar(select(Post)).author_id is None


def test_the_network_can_turn_pre_moderation_off(aid_test, app_factory, areas):
    app = app_factory(AID_BOARD_PREMODERATION="off", AID_BOARD_EXPIRY_DAYS="7")
    client = app.test_client()
    with app.app_context():
        aid_test.post_form(client, "/board/new", _form(areas, expiry_days="7"))
        post = db.session.scalar(select(Post))
        assert post.status == PostStatus.OPEN
        assert (post.expires_at - post.created_at).days == 7
        assert "Groceries for a family" in client.get("/board").get_data(as_text=True)


def test_a_form_with_mistakes_keeps_what_was_typed(aid_test, client, areas):
    response = aid_test.post_form(client, "/board/new", _form(areas, title="",
                                                              description="x" * 2500,
                                                              quantity="Twice a month"))
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Please correct the marked fields" in html and "Twice a month" in html
    assert db.session.scalar(select(Post)) is None


def test_contact_and_text_are_encrypted_at_rest(aid_test, client, areas):
    aid_test.post_form(client, "/board/new", _form(areas, contact="signal: maria.77"))
    raw = db.session.execute(text("SELECT title, description, contact FROM board_posts")).one()
    for column in raw:
        assert b"maria.77" not in bytes(column) and b"Groceries" not in bytes(column)
    assert db.session.scalar(select(Post)).contact == "signal: maria.77"


def test_the_form_explains_when_no_areas_exist_yet(client):
    html = client.get("/board/new").get_data(as_text=True)
    assert "once the network has set up its areas" in html


def test_the_spanish_form_ends_with_a_verb_not_a_noun(client, areas):
    html = client.get("/board/new", headers={"Accept-Language": "es-MX"}).get_data(as_text=True)
    assert ">Enviar mi publicación</button>" in html
    assert ">Publicación</button>" not in html  # "Post" the noun, once used for the button
