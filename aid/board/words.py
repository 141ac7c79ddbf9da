"""Cleaning what people type, and turning it into searchable keyed word hashes."""

from __future__ import annotations

import re
import unicodedata

from aid.security.crypto import blind_index

WORD_CONTEXT = "board_word"
MAX_WORDS_PER_POST = 200
MAX_SEARCH_TERMS = 6
_WORD = re.compile(r"\w+")
# C0/C1 controls, DEL, and the invisible bidi overrides that make text read differently
# from how it is stored (a classic way to disguise a link or a phone number).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def clean(value: str | None, multiline: bool = False) -> str:
    """Text as stored: no control characters, tidy whitespace, newlines only where allowed."""
    if not value:
        return ""
    text = value.replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", text).replace("\t", " ")
    if not multiline:
        return " ".join(text.split())
    lines = [" ".join(line.split()) for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


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
