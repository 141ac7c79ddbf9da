"""Encryption at rest and blind indexes.

Every personal value (names, phone numbers, emails, free text, meeting places) is stored with
AES-256-GCM under a key from `AID_DATA_KEYS`. A stored value is::

    key id (1 byte) | nonce (12 random bytes) | ciphertext + tag

and `table.column` is bound in as associated data, so a value copied into another column (or
another table) fails to decrypt instead of showing up somewhere it was not meant to be.
Several keys may be configured: the first encrypts, all decrypt, which is how rotation works.

Lookups ("is this phone number already subscribed?") never decrypt: they compare an HMAC of
the normalised value under a separate key (`AID_INDEX_KEY`). A database dump without the keys
reveals neither values nor which rows share a value with a guess.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from flask import current_app
from sqlalchemy import LargeBinary, String, type_coerce
from sqlalchemy.orm import MappedColumn, mapped_column
from sqlalchemy.types import TypeDecorator

NONCE_BYTES = 12
KEY_BYTES = 32


class CryptoError(ValueError):
    """A configured key is malformed or a value cannot be decrypted with any known key."""


def new_key() -> str:
    return base64.urlsafe_b64encode(os.urandom(KEY_BYTES)).decode().rstrip("=")


def decode_key(text: str) -> bytes:
    raw = base64.urlsafe_b64decode(text.strip() + "=" * (-len(text.strip()) % 4))
    if len(raw) != KEY_BYTES:
        raise CryptoError(f"a data or index key must be {KEY_BYTES} bytes, base64-encoded")
    return raw


def key_id(raw: bytes) -> int:
    """A one-byte name for a key, derived from it so nothing else has to be stored."""
    return hmac.new(raw, b"aid key id", hashlib.sha256).digest()[0]


@dataclass(frozen=True)
class KeyRing:
    """The data keys (first one current) and the blind-index key."""

    data_keys: tuple[bytes, ...]
    index_key: bytes
    # Each key's id byte and cipher, made once: a page of 25 rows opens a hundred values.
    ciphers: tuple[tuple[int, AESGCM], ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "ciphers", tuple((key_id(k), AESGCM(k))
                                                  for k in self.data_keys))

    @classmethod
    def from_strings(cls, data_keys: str, index_key: str) -> KeyRing:
        keys = tuple(decode_key(k) for k in data_keys.split(",") if k.strip())
        if not keys:
            raise CryptoError("AID_DATA_KEYS holds no key")
        return cls(keys, decode_key(index_key))

    def encrypt(self, plaintext: str, context: str) -> bytes:
        current_id, cipher = self.ciphers[0]
        nonce = os.urandom(NONCE_BYTES)
        sealed = cipher.encrypt(nonce, plaintext.encode(), context.encode())
        return bytes([current_id]) + nonce + sealed

    def decrypt(self, blob: bytes, context: str) -> str:
        wanted, nonce, sealed = blob[0], blob[1 : 1 + NONCE_BYTES], blob[1 + NONCE_BYTES :]
        for ident, cipher in self.ciphers:
            if ident != wanted:
                continue
            try:
                return cipher.decrypt(nonce, sealed, context.encode()).decode()
            except InvalidTag:
                continue  # another key may share the id byte
        raise CryptoError(f"cannot decrypt a value of {context} with any configured key")

    def is_current(self, blob: bytes, context: str) -> bool:
        """Sealed under the current key? The id byte can collide (1 in 256), so the key's own
        authentication tag decides: rotation must never skip a value the old key holds."""
        current_id, cipher = self.ciphers[0]
        if blob[0] != current_id:
            return False
        try:
            cipher.decrypt(blob[1 : 1 + NONCE_BYTES], blob[1 + NONCE_BYTES :], context.encode())
        except InvalidTag:
            return False
        return True

    def blind_index(self, normalised: str, context: str) -> str:
        mac = hmac.new(self.index_key, f"{context}\x00{normalised}".encode(), hashlib.sha256)
        return mac.hexdigest()


def keyring() -> KeyRing:
    return current_app.extensions["aid_keyring"]


def blind_index(value: str | None, context: str) -> str | None:
    """The lookup hash of an already-normalised value (e.g. E.164 phone, lower-case email)."""
    if value is None or value == "":
        return None
    return keyring().blind_index(value, context)


class Encrypted(TypeDecorator[str]):
    """A text column stored encrypted; `context` must be "table.column" (a test checks it)."""

    impl = LargeBinary
    cache_ok = True

    def __init__(self, context: str) -> None:
        super().__init__()
        self.context = context

    def process_bind_param(self, value: Any, dialect: Any) -> bytes | None:
        if value is None:
            return None
        return keyring().encrypt(str(value), self.context)

    def process_result_value(self, value: Any, dialect: Any) -> str | None:
        if value is None:
            return None
        return keyring().decrypt(bytes(value), self.context)


def sealed(column: Any) -> Any:
    """An encrypted column as stored (the sealed bytes), to select without decrypting: a list
    that keeps what it renders from a row can key it on these and open only what it lacks."""
    return type_coerce(column, LargeBinary).label(f"{column.key}_sealed")


def opened(column: Any, blob: bytes | None) -> str | None:
    """What `sealed(column)` selected, decrypted as the column itself would be."""
    return column.type.process_result_value(blob, None)


class Rekey(StrEnum):
    """How key rotation recomputes a blind index under a new index key."""

    RECOMPUTE = "recompute"  # from the encrypted column it was made from, in the same row
    MATCH = "match"  # no stored source: matched against phone numbers Aid still holds
    REBUILD = "rebuild"  # re-made by a hook its feature registers with rotation
    EXPIRE = "expire"  # short-lived (one-time codes): simply stops matching


def same(value: str) -> str:
    return value


def lower(value: str) -> str:
    return value.strip().lower()


@dataclass(frozen=True)
class BlindIndex:
    """What a blind-index column is made from, kept in the column's `info` (see
    `blind_index_column`), so rotation finds every index from the models."""

    context: str  # the context string given to `blind_index`
    source: str | None = None  # the encrypted column it is computed from (RECOMPUTE)
    normalise: Callable[[str], str] = same
    rekey: Rekey = Rekey.RECOMPUTE


INFO_KEY = "blind_index"


def blind_index_column(context: str, source: str | None = None,
                       normalise: Callable[[str], str] = same, rekey: Rekey = Rekey.RECOMPUTE,
                       **kwargs: Any) -> MappedColumn[Any]:
    """A column holding a blind index (hex HMAC), declared with what it is made from."""
    if rekey is Rekey.RECOMPUTE and source is None:
        raise ValueError("a recomputed blind index needs its source column")
    info = {INFO_KEY: BlindIndex(context, source, normalise, rekey)}
    return mapped_column(String(64), info=info, **kwargs)


def blind_index_of(column: Any) -> BlindIndex | None:
    """The declaration on a table column, or None when it is not a blind index."""
    return column.info.get(INFO_KEY)
