"""What the hotline keeps about people, registered with privacy and key rotation: ended
requests are purged with their timelines and search words, a withdrawn request forgets what
the requester told us (search words included), a volunteer's export names their assigned
requests by reference only, an area wipe takes its requests, and the search words are re-made
under a new index key."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, select

from aid.auth.models import User
from aid.extensions import db
from aid.hotline.models import ENDED_STATES, HelpRequest, RequestEvent
from aid.hotline.search import forget_words
from aid.privacy import registry
from aid.privacy.service import BATCH, count

REQUESTS = ("help_requests", "request_events", "request_words")


def _delete_requests(ids: Any) -> None:
    """Requests with their timelines; a request merged into one of them keeps its own."""
    db.session.execute(delete(RequestEvent).where(RequestEvent.request_id.in_(ids)))
    forget_words(ids)
    db.session.execute(HelpRequest.__table__.update()
                       .where(HelpRequest.merged_into_id.in_(ids)).values(merged_into_id=None))


@registry.on_purge("requests", tables=REQUESTS)
def purge_requests(cutoff: datetime, dry_run: bool = False) -> int:
    """Resolved and closed hotline requests ended before `cutoff`, with their timelines."""
    condition = (HelpRequest.status.in_([s.value for s in ENDED_STATES])
                 & HelpRequest.ended_at.is_not(None) & (HelpRequest.ended_at <= cutoff))
    if dry_run:
        return count(select(HelpRequest.id).where(condition))
    total = 0
    while ids := list(db.session.scalars(select(HelpRequest.id).where(condition).limit(BATCH))):
        _delete_requests(ids)
        db.session.execute(delete(HelpRequest).where(HelpRequest.id.in_(ids)))
        db.session.commit()
        total += len(ids)
    return total


@registry.on_export(registry.ACCOUNT, tables=REQUESTS)
def export_assigned(user: User) -> dict[str, Any]:
    # Requests name other people: only their reference codes and states.
    return {"help_requests_assigned_to_you": [
        {"reference": code, "status": status} for code, status in db.session.execute(
            select(HelpRequest.code, HelpRequest.status)
            .where(HelpRequest.assignee_id == user.id))]}


@registry.on_forget(registry.REQUESTER, tables=REQUESTS)
def erase_what_they_told_us(req: HelpRequest, _reason: str) -> None:
    """A withdrawn request keeps its counts (category, area, dates), not what was said."""
    req.name, req.phone, req.phone_index, req.details = None, None, None, ""
    db.session.flush()
    forget_words([req.id])
    for event in db.session.scalars(select(RequestEvent).where(
            RequestEvent.request_id == req.id, RequestEvent.body.is_not(None))):
        event.body = None


@registry.on_area_wipe(tables=REQUESTS)
def wipe_area(area_id: int) -> dict[str, int]:
    requests = select(HelpRequest.id).where(HelpRequest.area_id == area_id)
    n = count(requests)
    _delete_requests(requests)
    db.session.execute(delete(HelpRequest).where(HelpRequest.area_id == area_id))
    return {"help_requests": n}


# Saved replies are the team's own wording, about nobody in particular.
for _duty, _reason in (
        (registry.PURGE, "the team's reply templates, about no person; coordinators delete "
                         "them when they are no longer used"),
        (registry.OWN_DATA, "the team's reply templates, not a person's data; the author "
                            "link is cleared when the account goes"),
        (registry.AREA_WIPE, "reply templates belong to no area")):
    registry.not_covered("saved_replies", _duty, _reason)
