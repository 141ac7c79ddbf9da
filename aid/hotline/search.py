"""Finding requests by the words of what people wrote, without keeping those words in clear.

Each distinct word of a request's details is stored as a keyed hash in `request_words`
(the shared primitive `aid.security.words`, with this feature's own context); a search
narrows the triage list to requests holding every typed word. The list query itself stays
in `aid.hotline.queries`: `with_words` only composes onto it.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, delete, select

from aid.extensions import db
from aid.hotline.models import HelpRequest, RequestWord
from aid.security import words
from aid.security.cleaning import clean
from aid.security.words import search_hashes, word_hashes

WORD_CONTEXT = "request_word"
MAX_QUERY = 100


def index_words(req: HelpRequest, new: bool = False) -> int:
    """(Re-)make a request's search words from its details; returns how many. No commit:
    the caller's transaction writes the request and its words together. A `new` request has
    no words yet: nothing to delete."""
    if not new:
        db.session.execute(delete(RequestWord).where(RequestWord.request_id == req.id))
    hashes = word_hashes(req.details or "", WORD_CONTEXT)
    db.session.add_all(RequestWord(word=h, request_id=req.id) for h in hashes)
    return len(hashes)


words.on_backfill("request_words", HelpRequest, RequestWord.request_id, index_words)


def forget_words(request_ids: Any) -> None:
    """Drop the words of these requests (a list of ids or a subquery). No commit."""
    db.session.execute(delete(RequestWord).where(RequestWord.request_id.in_(request_ids)))


def with_words(query: Select[Any], q: str) -> Select[Any]:
    """Narrow a query of requests to those whose details hold every word of `q`."""
    for h in search_hashes(clean(q or "")[:MAX_QUERY], WORD_CONTEXT):
        query = query.where(select(RequestWord.request_id).where(
            RequestWord.request_id == HelpRequest.id, RequestWord.word == h).exists())
    return query
