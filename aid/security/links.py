"""Private links: the one way a secret token for a link is made, digested and checked.

A private link (a request's status page, a board post's manage page, a staff set-up link,
a volunteer's calendar feed) carries a random token; only its digest is stored, so a
database dump opens nothing. Every lookup goes through `digest`, whose one length guard
keeps absurd input away from the hash and the database.
"""

from __future__ import annotations

import hashlib
import secrets

MAX_TOKEN_LENGTH = 100  # token_urlsafe(32) is 43 characters; anything much longer is junk


def digest(token: str | None) -> str | None:
    """The stored form of a token (SHA-256: the token itself has 192+ bits), or None for
    something that cannot be one of ours."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    return hashlib.sha256(token.encode()).hexdigest()


def issue(nbytes: int = 32) -> tuple[str, str]:
    """A new token (shown once, never stored) and its digest (stored)."""
    token = secrets.token_urlsafe(nbytes)
    hashed = digest(token)
    assert hashed is not None
    return token, hashed


def plausible(token: str | None) -> bool:
    """The length guard on its own, for links checked through a keyed index instead."""
    return digest(token) is not None
