"""Cleaning what people type, and turning it into searchable keyed word hashes."""

from __future__ import annotations

import re
import unicodedata

from aid.security.cleaning import clean
from aid.security.crypto import blind_index

__all__ = ["clean", "normalise_words", "word_hashes"]

WORD_CONTEXT = "board_word"
MAX_WORDS_PER_POST = 200
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


def word_hashes(text: str, limit: int = MAX_WORDS_PER_POST) -> list[str]:
    return [h for h in (blind_index(w, WORD_CONTEXT) for w in normalise_words(text)[:limit]) if h]
