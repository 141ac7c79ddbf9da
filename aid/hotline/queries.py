"""The triage queue: filters, counts per status, one page of requests.

A fixed number of queries whatever the size of the table (a test counts them), and each of
them costs the same at any size: the counts are read from `help_request_counts` (kept by
triggers), the page is an index walk in the queue's order (keyset links for deep pages),
a filtered list is counted no further than COUNT_CAP, and only the columns the list shows
are loaded. Nothing in the list is decrypted but assignees' names: the list never shows
what people wrote.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import load_only

from aid.auth.models import User
from aid.extensions import db
from aid.hotline.models import (
    OPEN_STATES,
    URGENCY_RANK,
    Category,
    HelpRequest,
    State,
    StatusCount,
    Urgency,
    open_status,
)
from aid.hotline.search import MAX_QUERY, with_words
from aid.hotline.service import normalise_code, stale_before
from aid.network.models import Area
from aid.pagination import Page, keyset_paginate
from aid.statistics import keep_statistics
from aid.timeutil import utcnow

AGES = {"1": 1, "3": 3, "7": 7}

# What a row of the list shows (and sorts and flags on): only these are read, so nothing
# encrypted is decrypted. A card that shows more (the first words of the need, say) adds
# the column here, and pays the decryption for the rows of one page only.
LIST_COLUMNS: tuple[Any, ...] = (
    HelpRequest.id, HelpRequest.code, HelpRequest.status, HelpRequest.category,
    HelpRequest.urgency, HelpRequest.area_id, HelpRequest.language, HelpRequest.assignee_id,
    HelpRequest.created_at, HelpRequest.handled_at,
    # The staff card shows the first words of the need: the one personal column the list
    # decrypts (25 rows a page); name and phone stay unread.
    HelpRequest.details)
# The queue's order, most urgent first and newest first within an urgency; served by the
# indexes ix_help_requests_open_order / ix_help_requests_status_order.
ORDER_KEYS = (HelpRequest.urgency, HelpRequest.created_at, HelpRequest.id)


@dataclass
class Filters:
    status: str = "open"
    category: str = ""
    area: str = ""
    urgency: str = ""
    language: str = ""
    assignee: str = ""
    age: str = ""
    code: str = ""
    q: str = ""  # words in the details, found through their keyed hashes

    @classmethod
    def from_args(cls, args: Any) -> Filters:
        """Only values a filter can hold get through: the rest is dropped, never queried."""
        known = cls.__dataclass_fields__
        f = cls(**{k: str(args.get(k, getattr(cls, k)))[:20].strip() for k in known})
        f.q = " ".join(str(args.get("q", "")).split())[:MAX_QUERY]
        if f.status not in {"open", "all"} | {s.value for s in State}:
            f.status = "open"
        if f.category not in {c.value for c in Category}:
            f.category = ""
        if not (f.language.isascii() and f.language.isalpha()):
            f.language = ""
        for name in ("area", "assignee"):
            if not (getattr(f, name).isascii() and getattr(f, name).isdigit()
                    or (name, getattr(f, name)) == ("assignee", "none")):
                setattr(f, name, "")
        if f.urgency not in {u.value for u in Urgency}:
            f.urgency = ""
        if f.age not in {"stale", *AGES}:
            f.age = ""
        return f

    def active(self) -> bool:
        return any(getattr(self, k) for k in self.__dataclass_fields__ if k != "status")


def queue_query(f: Filters) -> Select[Any]:
    query = select(HelpRequest)
    if f.code:
        # A code names one request: look it up whatever the other filters say.
        return query.where(HelpRequest.code == (normalise_code(f.code) or "-"))
    if f.status == "open":
        query = query.where(open_status())
    elif f.status in {s.value for s in State}:
        query = query.where(HelpRequest.status == f.status)
    if f.category:
        query = query.where(HelpRequest.category == f.category)
    if f.area.isdigit():
        query = query.where(HelpRequest.area_id == int(f.area))
    if f.urgency in {u.value for u in Urgency}:
        query = query.where(HelpRequest.urgency == URGENCY_RANK[Urgency(f.urgency)])
    if f.language:
        query = query.where(HelpRequest.language == f.language)
    if f.assignee == "none":
        query = query.where(HelpRequest.assignee_id.is_(None))
    elif f.assignee.isdigit():
        query = query.where(HelpRequest.assignee_id == int(f.assignee))
    if f.age == "stale":
        query = query.where(HelpRequest.handled_at < stale_before(),
                            open_status())
    elif f.age in AGES:
        query = query.where(HelpRequest.created_at < utcnow() - timedelta(days=AGES[f.age]))
    if f.q:
        query = with_words(query, f.q)
    # Most urgent first, newest first within the same urgency.
    return query.order_by(HelpRequest.urgency.desc(), HelpRequest.created_at.desc(),
                          HelpRequest.id.desc())


def status_counts() -> dict[str, int]:
    """Requests per status, "open" and "all": nine rows read, whatever the size."""
    rows = db.session.execute(select(StatusCount.status, StatusCount.n))
    counts = {str(s): 0 for s in State}
    counts.update({status: n for status, n in rows})
    counts["open"] = sum(counts[str(s)] for s in OPEN_STATES)
    counts["all"] = sum(counts[str(s)] for s in State)
    return counts


@dataclass
class Queue:
    page: Page
    counts: dict[str, int]
    areas: dict[int, Area] = field(default_factory=dict)
    people: dict[int, User] = field(default_factory=dict)


def load_queue(f: Filters, query: Select[Any] | None = None) -> Queue:
    """The queue for `f`; `query` is `queue_query(f)` with anything composed onto it (a
    search, say). The counts table gives the exact total when only the status is chosen;
    with any other filter the total is counted up to COUNT_CAP."""
    counts = status_counts()
    exact = None if query is not None or f.active() else counts.get(f.status)
    query = (queue_query(f) if query is None else query).options(load_only(*LIST_COLUMNS))
    page = keyset_paginate(query, ORDER_KEYS, total=exact)
    areas = {a.id: a for a in db.session.scalars(select(Area))}
    ids = {r.assignee_id for r in page.items if r.assignee_id}
    people = ({u.id: u for u in db.session.scalars(
        select(User).options(load_only(User.id, User.display_name)).where(User.id.in_(ids)))}
        if ids else {})
    return Queue(page=page, counts=counts, areas=areas, people=people)


def my_requests_query(user: User) -> Select[Any]:
    """A volunteer's own requests: open ones first, then the ended ones, newest first."""
    ended = HelpRequest.status.notin_([str(s) for s in OPEN_STATES])
    return (select(HelpRequest).where(HelpRequest.assignee_id == user.id)
            .order_by(ended, HelpRequest.urgency.desc(), HelpRequest.created_at.desc()))


def open_for_volunteer(user: User, limit: int = 10) -> list[HelpRequest]:
    """The open requests a volunteer holds, most urgent first (for their /my page)."""
    return list(db.session.scalars(
        select(HelpRequest).where(HelpRequest.assignee_id == user.id,
                                  open_status())
        .order_by(HelpRequest.urgency.desc(), HelpRequest.created_at.desc()).limit(limit)))


# Without statistics either database may sort every open request instead of walking the
# queue's index.
keep_statistics("help_requests", "request_events")
