"""No personal value is readable in the database without the keys."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from aid.auth import service as accounts
from aid.extensions import db
from tests.security.support import all_raw_values

PERSONAL = ["rosa.martinez@example.org", "Rosa Martínez", "ROSA.MARTINEZ"]


@pytest.fixture
def populated(aid_test, app, client, make_user):
    admin = make_user("admin")
    aid_test.sign_in(client, admin)
    user = make_user(email=PERSONAL[0], name=PERSONAL[1])
    accounts.new_setup_token(user)
    db.session.commit()
    return user


def test_no_personal_value_in_any_column(populated):
    for value in all_raw_values():
        for secret in PERSONAL:
            assert secret.lower().encode() not in value.lower()


def raw_storage() -> bytes:
    """The bytes the database keeps on disk: the SQLite file (and its WAL), or on PostgreSQL
    every table's data file read by the server itself after a checkpoint."""
    db.session.commit()
    if db.engine.dialect.name == "sqlite":
        db.session.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
        assert db.session.execute(text("PRAGMA secure_delete")).scalar() == 1
        path = Path(db.engine.url.database)
        return b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))
    db.session.execute(text("CHECKPOINT"))
    chunks = []
    for table in inspect(db.engine).get_table_names():
        for relation in (table, f"pg_toast.pg_toast_{table}"):
            path = db.session.execute(text("SELECT pg_relation_filepath(to_regclass(:r))"),
                                      {"r": relation}).scalar()
            if path:
                chunks.append(bytes(db.session.execute(
                    text("SELECT pg_read_binary_file(:p)"), {"p": path}).scalar()))
    db.session.commit()
    return b"".join(chunks)


def test_raw_database_storage_holds_no_personal_value(app, populated):
    raw = raw_storage()
    assert len(raw) > 10_000  # the real storage was read, not an empty file
    for secret in PERSONAL:
        assert secret.encode() not in raw and secret.lower().encode() not in raw.lower()
    assert populated.email_index.encode() in raw  # the rows themselves are in what was read
