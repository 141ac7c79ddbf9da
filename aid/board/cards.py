"""The board's cards, rendered once and kept in this process, keyed on what a card shows.

A card is the same HTML for everyone who reads the board in one language and time zone: it
holds no link or token of the visitor's. The list selects what cards show as stored
(`service.LIST_COLUMNS`: the plain columns and the encrypted texts still sealed), and the key is
those values themselves with the language and the zone, not an id and a version: an edit
seals new text (a fresh nonce every time, so new bytes), a renamed area or a new time zone
makes a new key, and an old card is never shown; nothing has to be dropped, in this process
or another. Only a card not kept yet has its texts decrypted. Hidden and removed posts are
left out by the board's query before any card is looked up.

Cards are public text (what the board shows anyone), yet a removed or wiped post should not
stay in a process's memory: every card is dropped once the kept set is CARD_SECONDS old.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import current_app
from flask_babel import get_locale
from markupsafe import Markup

from aid.board.service import SEALED
from aid.security.crypto import opened
from aid.timeutil import zone_name
from aid.urls import path_for

MAX_CARDS = 2_000  # a few pages of every filter; then start again rather than track use
CARD_SECONDS = 300.0
_cards: dict[tuple[Any, ...], Markup] = {}
_since = time.monotonic()


@dataclass(frozen=True)
class CardPost:
    """What the `post_card` macro reads of a post, opened from a row of the list."""

    id: int
    kind: str
    category: str
    area_id: int | None
    created_at: datetime
    title: str | None  # never empty in a post; typed as `opened` answers
    description: str | None
    quantity: str | None
    first_name: str | None

    @classmethod
    def of(cls, row: Any) -> CardPost:
        texts = (opened(column, blob) for column, blob in zip(SEALED, row[5:], strict=True))
        return cls(row.id, row.kind, row.category, row.area_id, row.created_at, *texts)


def drop_old() -> None:
    """Every kept card dropped once the set is CARD_SECONDS old (run before each board page,
    so it happens even when the page shows no card)."""
    global _since
    if time.monotonic() - _since > CARD_SECONDS:
        _cards.clear()
        _since = time.monotonic()


def post_cards(rows: Iterable[Any], areas: dict[int, str]) -> Markup:
    """The board's cards for `rows` (of `service.LIST_COLUMNS`), each linking to its post's
    page."""
    reader = (str(get_locale()), zone_name())
    macro = None
    cards = []
    for row in rows:
        key = (*reader, areas.get(row.area_id, ""), *row)
        card = _cards.get(key)
        if card is None:
            if macro is None:
                module: Any = current_app.jinja_env.get_template("board/_post.html").module
                macro = module.post_card
            # A macro's answer is Markup already: the template escaped what it put in.
            card = macro(CardPost.of(row), areas, href=path_for("board.show", post_id=row.id))
            if len(_cards) >= MAX_CARDS:
                _cards.clear()
            _cards[key] = card
        cards.append(card)
    return Markup("\n").join(cards)
