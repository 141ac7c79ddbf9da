"""Encryption at rest: authenticated, bound to its column, rotatable; blind indexes keyed."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from aid.extensions import db
from aid.security.crypto import CryptoError, Encrypted, KeyRing, decode_key, key_id, new_key


def ring(*data_keys: str, index: str | None = None) -> KeyRing:
    return KeyRing.from_strings(",".join(data_keys), index or new_key())


def test_value_round_trips_and_each_encryption_differs():
    keys = ring(new_key())
    first = keys.encrypt("Ana, +15550100199", "users.email")
    second = keys.encrypt("Ana, +15550100199", "users.email")
    assert first != second  # random nonce: equal values do not look equal in a dump
    assert keys.decrypt(first, "users.email") == "Ana, +15550100199"


def test_value_moved_to_another_column_does_not_decrypt():
    keys = ring(new_key())
    blob = keys.encrypt("secret story", "users.display_name")
    with pytest.raises(CryptoError):
        keys.decrypt(blob, "users.email")


def test_tampered_value_is_refused():
    keys = ring(new_key())
    blob = bytearray(keys.encrypt("meet at the church", "users.email"))
    blob[-1] ^= 1
    with pytest.raises(CryptoError):
        keys.decrypt(bytes(blob), "users.email")


def test_rotation_new_key_encrypts_old_key_still_decrypts():
    old, new = new_key(), new_key()
    while key_id(decode_key(new)) == key_id(decode_key(old)):  # the 1-in-256 case: below
        new = new_key()
    before = ring(old).encrypt("value", "users.email")
    rotated = ring(new, old)
    assert rotated.decrypt(before, "users.email") == "value"
    after = rotated.encrypt("value", "users.email")
    assert after[0] == key_id(rotated.data_keys[0]) and rotated.is_current(after, "users.email")
    assert not rotated.is_current(before, "users.email")
    with pytest.raises(CryptoError):
        ring(old).decrypt(after, "users.email")


def test_keys_whose_id_bytes_collide_still_rotate_and_decrypt():
    old = new_key()
    new = new_key()
    while key_id(decode_key(new)) != key_id(decode_key(old)):
        new = new_key()
    before = ring(old).encrypt("value", "users.email")
    rotated = ring(new, old)
    assert not rotated.is_current(before, "users.email")  # same id byte, other key
    assert rotated.decrypt(before, "users.email") == "value"


def test_blind_index_is_stable_keyed_and_separated_by_context():
    index_key = new_key()
    a, b = ring(new_key(), index=index_key), ring(new_key(), index=index_key)
    assert a.blind_index("+15550100199", "phone") == b.blind_index("+15550100199", "phone")
    assert a.blind_index("+15550100199", "phone") != a.blind_index("+15550100199", "other")
    assert ring(new_key()).blind_index("+15550100199", "phone") != a.blind_index(
        "+15550100199", "phone")


def test_malformed_key_is_refused():
    with pytest.raises(CryptoError):
        KeyRing.from_strings("c2hvcnQ", new_key())


def test_every_encrypted_column_names_its_own_table_and_column(app):
    found = 0
    for table in db.metadata.sorted_tables:
        for column in table.columns:
            if isinstance(column.type, Encrypted):
                assert column.type.context == f"{table.name}.{column.name}"
                found += 1
    assert found >= 3


def test_stored_value_is_ciphertext_and_reads_back_through_the_model(app, make_user):
    user = make_user(email="maria.lopez@example.org", name="María López")
    raw = db.session.execute(
        text("SELECT email, display_name FROM users WHERE id = :id"), {"id": user.id}
    ).one()
    assert b"maria" not in bytes(raw.email) and "López".encode() not in bytes(raw.display_name)
    db.session.expire_all()
    assert user.display_name == "María López"


def test_every_table_with_encrypted_columns_has_an_id_for_key_rotation(app):
    for table in db.metadata.sorted_tables:
        if any(isinstance(c.type, Encrypted) for c in table.columns):
            assert "id" in table.columns and table.columns["id"].primary_key, table.name
