"""Rendered post cards kept in this process, keyed on everything a card shows.

A card is the same HTML for everyone who reads the board in one language and time zone: it
holds no link or token of the visitor's. The key is the card's inputs themselves (the post's
text, kind, category, area name, date, the language and the zone), not an id and a version,
so an edit, a renamed area or a new time zone makes a new key and an old card is never shown:
nothing has to be dropped, in this process or another. Hidden and removed posts are left out
by the board's query before any card is looked up.

Cards are public text (what the board shows anyone), yet a removed or wiped post should not
stay in a process's memory: every card is dropped once the kept set is CARD_SECONDS old.
"""

from __future__ import annotations

import time
from typing import Any

from flask import current_app, g
from flask_babel import get_locale
from markupsafe import Markup

from aid.board.models import Post
from aid.timeutil import zone_name

MAX_CARDS = 2_000  # a few pages of every filter; then start again rather than track use
CARD_SECONDS = 300.0
_cards: dict[tuple[Any, ...], Markup] = {}
_since = time.monotonic()


def drop_old() -> None:
    """Every kept card dropped once the set is CARD_SECONDS old (run before each board page,
    so it happens even when the page shows no card)."""
    global _since
    if time.monotonic() - _since > CARD_SECONDS:
        _cards.clear()
        _since = time.monotonic()


def post_card(post: Post, areas: dict[int, str], href: str | None = None) -> Markup:
    """The board's card for `post` (as the `post_card` macro renders it), linking to `href`."""
    area = areas.get(post.area_id, "")
    if "aid_card_reader" not in g:  # the language and zone: once a page, not once a card
        g.aid_card_reader = (str(get_locale()), zone_name())
    key = (*g.aid_card_reader, href, post.kind, post.category, area,
           post.created_at, post.title, post.description, post.quantity, post.first_name)
    card = _cards.get(key)
    if card is None:
        macros = current_app.jinja_env.get_template("board/_post.html").module
        # A macro's answer is Markup already: the template escaped what it put in.
        card = macros.post_card(post, areas, href=href)  # type: ignore[attr-defined]
        if len(_cards) >= MAX_CARDS:
            _cards.clear()
        _cards[key] = card
    return card
