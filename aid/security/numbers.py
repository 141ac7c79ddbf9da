"""Whole numbers from the outside world (query strings, forms, webhooks, URL parts).

`"²".isdigit()` is True and `int("²")` fails; a 40-digit id overflows SQLite's integer and
is out of range for PostgreSQL's: each gave a 500. Everything goes through `bounded_int`,
and `<int:...>` in a route uses `BoundedIntConverter`, so such input is simply "not found"
or "not given".
"""

from __future__ import annotations

from typing import Any

from werkzeug.routing import IntegerConverter, Map

MAX_ID = 2**31 - 1  # PostgreSQL's integer; every id and count here fits


def bounded_int(raw: Any, low: int = 0, high: int = MAX_ID,
                default: int | None = None) -> int | None:
    """`raw` as an int in [low, high] when it is plain ASCII digits, else `default`."""
    if raw is None:
        return default
    text = str(raw).strip()
    if not text or len(text) > len(str(high)) or not (text.isascii() and text.isdigit()):
        return default
    number = int(text)
    return number if low <= number <= high else default


class BoundedIntConverter(IntegerConverter):
    """`<int:id>` that matches only ids the database can hold (others are a 404)."""

    def __init__(self, url_map: Map, fixed_digits: int = 0, min: int | None = None,  # noqa: A002
                 max: int | None = None, signed: bool = False) -> None:  # noqa: A002
        super().__init__(url_map, fixed_digits, min, MAX_ID if max is None else max, signed)
