"""Bounded pagination: every list that can grow goes through here.

`paginate` numbers pages (OFFSET): fine while tables are small. `keyset_paginate` carries
the last row's sort key in the "Older" link (`?page=N&after=...`), so a deep page costs what
the first one does: an index walk from that key, never skipping N x per_page rows. It is
given its total (from a counts table, say) or counts at most COUNT_CAP rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask import current_app, request
from sqlalchemy import Select, func, literal_column, select, tuple_
from sqlalchemy.orm import InstrumentedAttribute

from aid.extensions import db
from aid.security.numbers import bounded_int

MAX_PAGE = 10_000
# Counting the rows of a filtered list stops here (40 pages of 25): the page says "of more
# than ...". Counting costs a row read per match, so this bounds what a filter costs.
COUNT_CAP = 1_000


@dataclass
class Page:
    items: list[Any]
    number: int
    per_page: int
    total: int
    # The total is a lower bound: counting stopped at COUNT_CAP.
    count_capped: bool = False
    # Keyset pages: the query arguments of the neighbouring pages (None: there is none).
    keyset: bool = False
    next_args: dict[str, str] | None = field(default=None)
    prev_args: dict[str, str] | None = field(default=None)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page), self.number)

    @property
    def has_prev(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        if self.keyset:
            return self.next_args is not None
        return self.number < self.pages


def page_number() -> int:
    return bounded_int(request.args.get("page"), low=1, high=MAX_PAGE, default=1) or 1


def paginate(query: Select[Any], per_page: int | None = None,
             many_query: Select[Any] | None = None) -> Page:
    """One query for the rows and one for the count, whatever the size of the table. The
    count stops at COUNT_CAP (or just past the page asked for, so "Next" is still right): a
    list of a million rows costs what one of a thousand does, and says "of more than".
    `many_query` (the same rows, written another way) is read instead of `query` when the
    count reaches its cap: a filter's matches read through an index and sorted cost little
    while they are few, and when they are many, walking the list's order finds a page sooner."""
    per_page = per_page or current_app.config["ITEMS_PER_PAGE"]
    number = page_number()
    total, more = bounded_count(query, max(COUNT_CAP, number * per_page))
    if more and many_query is not None:
        query = many_query
    items = list(db.session.scalars(query.limit(per_page).offset((number - 1) * per_page)))
    return Page(items=items, number=number, per_page=per_page, total=total, count_capped=more)


def bounded_count(query: Select[Any], cap: int | None = None) -> tuple[int, bool]:
    """How many rows `query` has, counting no further than `cap`: (count, whether more)."""
    cap = cap or COUNT_CAP
    # Only a constant is selected: the count reads index entries, not each row's columns.
    limited = (query.order_by(None).with_only_columns(literal_column("1"),
                                                      maintain_column_froms=True)
               .limit(cap + 1).subquery())
    n = db.session.scalar(select(func.count()).select_from(limited)) or 0
    return min(n, cap), n > cap


def _cursor(row: Any, keys: Sequence[InstrumentedAttribute[Any]]) -> str:
    values = []
    for key in keys:
        value = getattr(row, key.key)
        values.append(value.isoformat() if isinstance(value, datetime) else str(value))
    return "_".join(values)


def _parse_cursor(raw: str | None,
                  keys: Sequence[InstrumentedAttribute[Any]]) -> list[Any] | None:
    """A cursor from a link, checked against the key columns' types; anything else: None."""
    if not raw or len(raw) > 200:
        return None
    parts = raw.split("_")
    if len(parts) != len(keys):
        return None
    values: list[Any] = []
    for part, key in zip(parts, keys, strict=True):
        kind = key.type.python_type
        try:
            if kind is datetime:
                values.append(datetime.fromisoformat(part))
            elif kind is int:
                if not (part.isascii() and part.lstrip("-").isdigit()) or len(part) > 18:
                    return None
                values.append(int(part))
            else:
                values.append(part)
        except ValueError:
            return None
    return values


def keyset_paginate(query: Select[Any], keys: Sequence[InstrumentedAttribute[Any]],
                    total: int | None = None, per_page: int | None = None) -> Page:
    """One page of `query` in descending order of `keys` (the last one unique, say the id).

    Without a cursor, page N is read by OFFSET (the first pages, or a number typed in);
    with one, from the key on. `total` given (exact, from a counts table) or counted up to
    COUNT_CAP. One query for the rows (one more to count when no total is given)."""
    per_page = per_page or current_app.config["ITEMS_PER_PAGE"]
    number = page_number()
    after = _parse_cursor(request.args.get("after"), keys)
    before = None if after else _parse_cursor(request.args.get("before"), keys)
    more = False
    if total is None:
        total, more = bounded_count(query)
    ordered = query.order_by(None)
    if after is not None:
        rows = list(db.session.scalars(ordered.where(tuple_(*keys) < tuple_(*after))
                                       .order_by(*[k.desc() for k in keys]).limit(per_page + 1)))
        has_next = len(rows) > per_page
        rows = rows[:per_page]
    elif before is not None:
        rows = list(db.session.scalars(ordered.where(tuple_(*keys) > tuple_(*before))
                                       .order_by(*[k.asc() for k in keys]).limit(per_page)))
        rows.reverse()
        has_next = True  # we came back from the page after this one
    else:
        rows = list(db.session.scalars(ordered.order_by(*[k.desc() for k in keys])
                                       .limit(per_page + 1).offset((number - 1) * per_page)))
        has_next = len(rows) > per_page
        rows = rows[:per_page]
    if before is not None and len(rows) < per_page:
        number = 1  # fewer than a page before this key: this is the first page
    page = Page(items=rows, number=number, per_page=per_page, total=total, count_capped=more,
                keyset=True)
    if has_next and rows:
        page.next_args = {"page": str(number + 1), "after": _cursor(rows[-1], keys)}
    if number > 1 and rows:
        page.prev_args = ({"page": "1"} if number == 2 else
                          {"page": str(number - 1), "before": _cursor(rows[0], keys)})
    return page
