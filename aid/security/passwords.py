"""argon2id password hashing with rehash-on-login when the parameters change."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from flask import current_app

MIN_LENGTH = 10
MAX_LENGTH = 256  # argon2 copes, but a megabyte "password" is only a way to burn CPU


def hasher() -> PasswordHasher:
    cfg = current_app.config
    return PasswordHasher(
        time_cost=cfg["ARGON2_TIME_COST"],
        memory_cost=cfg["ARGON2_MEMORY_COST"],
        parallelism=cfg["ARGON2_PARALLELISM"],
    )


def hash_password(password: str) -> str:
    return hasher().hash(password)


def verify_password(stored: str | None, password: str) -> bool:
    if not stored:
        # Spend the same time as a real check so a missing account is not told apart by timing.
        hasher().hash(password)
        return False
    try:
        return hasher().verify(stored, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored: str) -> bool:
    return hasher().check_needs_rehash(stored)
