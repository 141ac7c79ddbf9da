"""What the security tests share that is not a fixture."""

from __future__ import annotations

from sqlalchemy import inspect, text

from aid.extensions import db


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
