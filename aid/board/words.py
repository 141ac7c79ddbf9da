"""Cleaning what people type, and turning it into searchable keyed word hashes (the shared
primitive is `aid.security.words`; the board's words carry their own context)."""

from __future__ import annotations

from aid.security import words
from aid.security.cleaning import clean
from aid.security.words import MAX_SEARCH_TERMS, normalise_words

__all__ = ["MAX_SEARCH_TERMS", "WORD_CONTEXT", "clean", "normalise_words", "word_hashes"]

WORD_CONTEXT = "board_word"
MAX_WORDS_PER_POST = 200


def word_hashes(text: str, limit: int = MAX_WORDS_PER_POST) -> list[str]:
    return words.word_hashes(text, WORD_CONTEXT, limit)
