"""The two-person rule, shared by everything that texts many people at once (alerts, bulk
texts to volunteers): above a threshold of recipients, a second person has to approve what
someone wrote; the author can never be that second person.

Each feature keeps its own states, messages and audit events; only the rule lives here, so
alerts and bulk texts cannot drift apart.
"""

from __future__ import annotations

from flask import current_app


def threshold() -> int:
    """How many recipients one person may send to alone (AID_ALERT_APPROVAL_THRESHOLD)."""
    return int(current_app.config["ALERT_APPROVAL_THRESHOLD"])


def needs_second(count: int, limit: int) -> bool:
    """Does sending to `count` people need a second person's approval?"""
    return count > limit


def may_approve(actor_id: int | None, author_id: int | None, count: int | None,
                limit: int) -> bool:
    """May `actor_id` approve sending what `author_id` wrote to `count` recipients?

    At or under `limit` anyone allowed to send may, the author included; above it only
    someone else. `count=None` is an item already waiting for a second person (it was over
    the limit when it was asked for): only someone else may approve it, whatever its count
    is now. An item whose author is gone (None) can be approved by any other person."""
    if count is not None and not needs_second(count, limit):
        return True
    return actor_id is not None and actor_id != author_id
