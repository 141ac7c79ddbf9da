"""Searchable words without clear text: each distinct normalised word becomes a keyed hash.

A feature keeps one row per (hash, record) in its own table, declared with
`blind_index_column(context, rekey=Rekey.REBUILD)` and re-made by its rotation hook. Each
feature passes its own context, so the same word in a board post and in a help request gives
different hashes: one table's rows cannot be joined against another's.

Records written before a feature indexed its words (or while its indexing had a gap) have
none, and no search finds them. Each feature registers a backfill (`on_backfill`) that
indexes, batch by batch in id order, its records that have no words yet; `backfill` runs
them all. It is idempotent (a record with words is never touched), each batch costs the same
at any table size (keyset on the id, not OFFSET), and it runs at every worker start (a
background job) and on demand (`aid search reindex`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from aid.extensions import db
from aid.security import rotation
from aid.security.crypto import blind_index
from aid.tasks import at_worker_start, task

MAX_WORDS = 200
MAX_SEARCH_TERMS = 6
BACKFILL_BATCH = 200
_WORD = re.compile(r"\w+")


def normalise_words(text: str) -> list[str]:
    """Lower-case words without accents, a final "s" dropped ("Diapers" -> "diaper")."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    words: list[str] = []
    for word in _WORD.findall(folded):
        word = word.replace("_", "")
        if len(word) > 3 and word.endswith("s"):
            word = word[:-1]
        if len(word) >= 2 and word not in words:
            words.append(word)
    return words


def word_hashes(text: str, context: str, limit: int = MAX_WORDS) -> list[str]:
    """The keyed hashes of the distinct words of `text` (what an index table stores)."""
    return [h for h in (blind_index(w, context) for w in normalise_words(text)[:limit]) if h]


def search_hashes(query: str, context: str, limit: int = MAX_SEARCH_TERMS) -> list[str]:
    """The hashes to look up for what someone typed in a search box (a few words at most)."""
    return word_hashes(query, context, limit)


@dataclass(frozen=True)
class _Backfill:
    record: Any  # the feature's model of what is indexed (a mapped class with an `id`)
    word_of: Any  # the word table's column naming that record (e.g. `PostWord.post_id`)
    index: Callable[[Any], int]  # (re-)makes one record's words, returns how many; no commit


_backfills: dict[str, _Backfill] = {}


def on_backfill(table: str, record: Any, word_of: Any, index: Callable[[Any], int]) -> None:
    """Register a feature's word table: the model whose records it indexes, the word column
    pointing at them, and the function that (re-)makes one record's words. `backfill` finds
    the records without words itself, and key rotation re-makes every record's words under
    the new index key (the words have no stored source column to re-hash)."""
    entry = _Backfill(record, word_of, index)
    _backfills[table] = entry
    rotation.on_rebuild(table)(lambda: _rebuild(entry))


def _rebuild(entry: _Backfill) -> int:
    """Re-index every record, batch by batch in id order, each batch committed."""
    model, after = entry.record, 0
    while rows := db.session.scalars(select(model).where(model.id > after)
                                     .order_by(model.id).limit(rotation.BATCH)).all():
        for row in rows:
            entry.index(row)
        after = rows[-1].id
        db.session.commit()
    return 0


def _next_batch(entry: _Backfill, after: int, limit: int) -> tuple[int | None, int]:
    """Index the next records (by id, after `after`) that have no words: those written before
    the index existed. A record with nothing to index (no text, or erased) stays without
    words and is looked at again by the next run. Commits. Returns (the last id looked at,
    None when there was none; how many records got words)."""
    model = entry.record
    has_words = select(entry.word_of).where(entry.word_of == model.id).exists()
    rows = db.session.scalars(select(model).where(model.id > after, ~has_words)
                              .order_by(model.id).limit(limit)).all()
    if not rows:
        return None, 0
    indexed = sum(1 for row in rows if entry.index(row))
    db.session.commit()
    return rows[-1].id, indexed


def backfill(batch: int = BACKFILL_BATCH) -> dict[str, int]:
    """Give search words to every record of every feature that has none. Returns how many
    records got words, per word table (all zero when run again)."""
    done: dict[str, int] = {}
    for table, entry in sorted(_backfills.items()):
        after, total = 0, 0
        while True:
            last, indexed = _next_batch(entry, after, batch)
            total += indexed
            if last is None:
                break
            after = last
        done[table] = total
    return done


@task()
def backfill_words() -> None:
    backfill()


at_worker_start(backfill_words)
