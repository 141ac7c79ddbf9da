"""Searchable words without clear text: each distinct normalised word becomes a keyed hash.

A feature keeps one row per (hash, record) in its own table, declared with
`blind_index_column(context, rekey=Rekey.REBUILD)` and re-made by its rotation hook. Each
feature passes its own context, so the same word in a board post and in a help request gives
different hashes: one table's rows cannot be joined against another's.
"""

from __future__ import annotations

import re
import unicodedata

from aid.security.crypto import blind_index

MAX_WORDS = 200
MAX_SEARCH_TERMS = 6
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
