"""Sample alert subscribers for `aid demo` (fictional 555 numbers)."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import select

from aid.extensions import db
from aid.network.models import Area
from aid.sms import subscriptions

# 555-0100..0199 is kept for fiction in every North American area code.
SUBSCRIBERS = [
    ("+12025550141", ["Eastside"], ["enforcement", "police"], "es"),
    ("+12025550142", [], ["enforcement", "police", "safety", "community"], "en"),
    ("+12025550143", ["Riverside", "Old Town"], ["enforcement", "safety"], "es"),
    ("+12025550144", ["Market District"], ["community"], "en"),
]


def create_demo() -> Iterator[str]:
    by_name = {a.name: a.id for a in db.session.scalars(select(Area))}
    added = 0
    for phone, areas, topics, language in SUBSCRIBERS:
        if subscriptions.find_subscriber(phone) is None:
            choices = subscriptions.Choices([by_name[a] for a in areas], topics, language)
            subscriptions.subscribe(phone, choices, "web")
            added += 1
    yield f"Alert subscribers: {len(SUBSCRIBERS)} ({added} new)"
