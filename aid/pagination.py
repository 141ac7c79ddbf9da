"""Keyset-free, bounded pagination: every list that can grow goes through here."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import current_app, request
from sqlalchemy import Select, func, select

from aid.extensions import db
from aid.security.numbers import bounded_int

MAX_PAGE = 10_000


@dataclass
class Page:
    items: list[Any]
    number: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages


def page_number() -> int:
    return bounded_int(request.args.get("page"), low=1, high=MAX_PAGE, default=1) or 1


def paginate(query: Select[Any], per_page: int | None = None) -> Page:
    """One query for the rows and one for the count, whatever the size of the table."""
    per_page = per_page or current_app.config["ITEMS_PER_PAGE"]
    number = page_number()
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    items = list(db.session.scalars(query.limit(per_page).offset((number - 1) * per_page)))
    return Page(items=items, number=number, per_page=per_page, total=total or 0)
