"""The board keeps each rendered post card in the process (the same for every visitor of one
language): a built board must still show every post as it is now, in the visitor's language,
and the public pages read the database only a few times each."""

from __future__ import annotations

import time
from itertools import count

import pytest

from aid.auth.models import Role, Status
from aid.board import cards, service
from aid.extensions import db

fresh = count()


@pytest.fixture
def built(app):
    """Each call a board page built afresh: the short page cache out of the way."""
    app.config["PAGE_CACHE_SECONDS"] = 0
    return app


def _board(client, query: str = "") -> str:
    return client.get(f"/board?{query}&n={next(fresh)}").get_data(as_text=True)


def test_an_edit_shows_on_the_next_board_page(built, make_post):
    post, _token = make_post("Bag of rice", description="Two kilos of rice.")
    visitor = built.test_client()
    assert "Two kilos of rice." in _board(visitor)
    service.edit_post(post, service.PostInput(
        category=post.category, area_id=post.area_id, title="Bag of beans",
        description="Three tins of beans."), by_coordinator=True)
    html = _board(visitor)
    assert "Bag of beans" in html and "Three tins of beans." in html
    assert "Bag of rice" not in html and "Two kilos of rice." not in html


def test_a_change_made_without_an_edit_still_shows(built, make_post):
    post, _token = make_post("Bag of rice")
    visitor = built.test_client()
    assert "Bag of rice" in _board(visitor)
    post.title = "Bag of lentils"  # a bulk job or an erasure need not touch updated_at
    db.session.commit()
    assert "Bag of lentils" in _board(visitor)
    assert "Bag of rice" not in _board(visitor)


def test_a_hidden_post_leaves_the_board_at_once(built, make_post):
    post, _token = make_post("Bag of rice")
    visitor = built.test_client()
    assert "Bag of rice" in _board(visitor)
    post.status = "hidden"
    db.session.commit()
    assert "Bag of rice" not in _board(visitor)



def test_a_removed_post_does_not_stay_in_memory_once_the_kept_cards_are_old(built, make_post,
                                                                          monkeypatch):
    """A wiped or removed post must not linger in a web process: kept cards are dropped
    once they are CARD_SECONDS old, at the next page."""
    post, _token = make_post("Bag of rice")
    visitor = built.test_client()
    assert "Bag of rice" in _board(visitor)
    assert any("Bag of rice" in card for card in cards._cards.values())
    post.status = "hidden"
    db.session.commit()
    later = time.monotonic() + cards.CARD_SECONDS + 1
    monkeypatch.setattr(cards.time, "monotonic", lambda: later)
    _board(visitor)
    assert not any("Bag of rice" in card for card in cards._cards.values())

def test_a_renamed_area_shows_on_the_cards(built, make_post, areas):
    make_post("Bag of rice", area="Eastside")
    visitor = built.test_client()
    assert "Eastside" in _board(visitor)
    areas["Eastside"].name = "East End"
    db.session.commit()
    html = _board(visitor)
    assert html.count("East End") >= 2  # the card and the area filter
    assert "Eastside" not in html


def test_a_card_is_in_each_visitors_language(built, aid_test, make_post):
    make_post("Bag of rice", kind="offer", category="food")
    english, spanish = built.test_client(), built.test_client()
    assert ">Offer<" in _board(english)
    aid_test.post_form(spanish, "/language", {"lang": "es", "next": "/board"})
    html = _board(spanish)
    assert "Necesidades y ofertas" in html
    assert "Oferta" in html and ">Offer<" not in html
    assert ">Offer<" in _board(english)


def test_a_card_never_holds_a_signed_in_visitors_links(built, client, signed_in, make_post):
    make_post("Bag of rice")
    anonymous = built.test_client()
    signed_in(Role.VOLUNTEER, Status.VETTED)
    assert "/board/mine" in _board(client)
    assert "/board/mine" not in _board(anonymous)


@pytest.mark.parametrize("path", ["/", "/help", "/board", "/board?q=rice+beans",
                                  "/board?kind=offer&category=food", "/board/feed.atom"])
def test_a_public_page_reads_the_database_at_most_five_times(built, make_post, path,
                                                              aid_test):
    for n in range(30):
        make_post(f"Bag of rice {n}", description="Rice and beans for a family.")
    visitor = built.test_client()
    sep = "&" if "?" in path else "?"
    assert visitor.get(f"{path}{sep}n={next(fresh)}").status_code == 200
    db.session.remove()
    assert aid_test.count_queries(visitor, f"{path}{sep}n={next(fresh)}") <= 5


def test_a_page_of_kept_cards_opens_no_encrypted_text(built, make_post, monkeypatch):
    for n in range(3):
        make_post(f"Winter coat {n}")
    assert "Winter coat 2" in _board(built.test_client())
    opened: list[str] = []
    real = cards.opened
    monkeypatch.setattr(cards, "opened", lambda column, blob: opened.append(column.key)
                        or real(column, blob))
    html = _board(built.test_client())
    assert "Winter coat 0" in html and "Winter coat 2" in html
    assert opened == []  # every card was kept: nothing decrypted
    make_post("Winter boots")
    assert "Winter boots" in _board(built.test_client())
    assert set(opened) == {"title", "description", "quantity", "first_name"}  # the new card only
