"""No personal value is readable in the database without the keys."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from aid.auth import service as accounts
from aid.extensions import db
from tests.helpers import PG_URL

PERSONAL = ["rosa.martinez@example.org", "Rosa Martínez", "ROSA.MARTINEZ"]


def all_raw_values() -> list[bytes]:
    """Every value of every column of every table, as the database holds it."""
    values = []
    for table in inspect(db.engine).get_table_names():
        for row in db.session.execute(text(f'SELECT * FROM "{table}"')):  # noqa: S608
            for value in row:
                if isinstance(value, memoryview | bytes):
                    values.append(bytes(value))
                elif value is not None:
                    values.append(str(value).encode())
    return values


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


@pytest.mark.skipif(bool(PG_URL), reason="reads the SQLite file; on PostgreSQL the column "
                    "test above covers the same rows")
def test_raw_sqlite_file_holds_no_personal_value_and_overwrites_deleted_rows(app, populated):
    db.session.commit()
    db.session.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
    assert db.session.execute(text("PRAGMA secure_delete")).scalar() == 1
    path = Path(db.engine.url.database)
    raw = b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))
    assert len(raw) > 10_000
    for secret in PERSONAL:
        assert secret.encode() not in raw and secret.lower().encode() not in raw.lower()
    assert b"users" in raw  # the test reads the real database file, not an empty one
