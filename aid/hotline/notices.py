"""Who the hotline tells, and when: every call is made after the change is committed.

Only kinds and links go to the notification service: never the requester's name, number
(except as the address of their own code), place or words.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from aid.extensions import db
from aid.hotline.models import OPEN_STATES, URGENCY_RANK, Channel, Contact, HelpRequest, Urgency
from aid.notify import service as notify


def _queue_path(req: HelpRequest) -> str:
    return f"/coordinator/requests/{req.id}"


def code_to_requester(req: HelpRequest) -> None:
    """Someone who asked on the web, gave a phone and chose texts gets their code by text
    (the public form calls this; a call or a text already gave them the code)."""
    if req.channel == Channel.WEB and req.phone and req.contact_method == Contact.SMS:
        notify.notify(notify.Recipient(phone=req.phone, locale=req.language), "request_code",
                      params={"code": req.code})


def request_created(req: HelpRequest) -> None:
    """Coordinators on duty hear of an urgent request at once, of the others in the daily
    digest (told by the worker: the person asking does not wait for it)."""
    if req.urgency >= URGENCY_RANK[Urgency.NOW]:
        notify.notify_on_duty_later("urgent_request", path=_queue_path(req))
    else:
        notify.notify_on_duty_later("new_request", path=_queue_path(req), digest=True)


def assigned(req: HelpRequest, volunteer_id: int) -> None:
    notify.notify(volunteer_id, "assigned", path=f"/my/requests/{req.id}")


def requester_wrote(req: HelpRequest) -> None:
    """To whoever holds the request; nobody holds it: to the coordinators on duty."""
    if req.assignee_id:
        notify.notify(req.assignee_id, "requester_replied", path=f"/my/requests/{req.id}")
    else:
        notify.notify_on_duty_later("requester_replied", path=_queue_path(req))


def escalate_stale(before: datetime) -> int:
    """Open requests nobody acted on since `before`: coordinators on duty are told, once
    per quiet spell (the key names the last time someone acted). Returns how many."""
    rows = db.session.scalars(select(HelpRequest).where(
        HelpRequest.status.in_([str(s) for s in OPEN_STATES]),
        HelpRequest.merged_into_id.is_(None), HelpRequest.handled_at < before)
        .order_by(HelpRequest.id).limit(200)).all()
    for req in rows:
        key = f"stale:{req.id}:{int(req.handled_at.timestamp())}"
        notify.notify_on_duty("stale_request", path=_queue_path(req), dedupe=key)
    return len(rows)
