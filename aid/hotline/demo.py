"""Sample hotline requests for `aid demo`, in the states a coordinator meets every day."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import select

from aid.auth import service as accounts
from aid.extensions import db
from aid.hotline import replies
from aid.hotline import service as hotline
from aid.hotline.models import Channel, HelpRequest, State
from aid.network.models import Area

HOTLINE_SAMPLES = [
    # category, urgency, area, language, contact, name, phone, details, final state
    ("legal", "now", "Eastside", "es", "sms", "Lupe", "+12025550142",
     "Detuvieron a mi hermano esta mañana en el trabajo. Necesitamos un abogado.", "assigned"),
    ("food", "days", "Riverside", "en", "call", "", "+12025550143",
     "Three kids at home and nothing left until payday on Friday.", "in_progress"),
    ("accompaniment", "days", "Old Town", "es", "sms", "Don Ramón", "+12025550144",
     "Tengo cita en el tribunal el martes y no quiero ir solo.", "new"),
    ("housing", "weeks", "Southgate", "en", "check_back", "", "",
     "Landlord says we have to leave by the end of the month.", "triaged"),
    ("medical", "now", "North Hills", "es", "call", "Marta", "+12025550145",
     "Mi mamá necesita su insulina y no tenemos seguro.", "resolved"),
    ("other", "weeks", "Market District", "en", "check_back", "", "",
     "asdf test test", "closed_spam"),
]


def create_demo() -> Iterator[str]:
    from sqlalchemy import func


    if db.session.scalar(select(func.count()).select_from(HelpRequest)):
        yield "Hotline: sample requests already there"
        return
    areas = {a.name: a.id for a in db.session.scalars(select(Area))}
    coordinator = accounts.find_by_email("coord@demo.example")
    rosa = accounts.find_by_email("rosa@demo.example")
    for n, (category, urgency, area, language, contact, name, phone, details, state) in (
            enumerate(HOTLINE_SAMPLES)):
        req, _token = hotline.create_request(
            hotline.Intake(category=category, urgency=urgency, area_id=areas.get(area),
                           language=language, contact_method=contact, details=details,
                           name=name, phone=phone),
            Channel.PHONE if n == 1 else Channel.WEB, coordinator if n == 1 else None)
        if state == "new" or coordinator is None or rosa is None:
            continue
        if state == "closed_spam":
            hotline.change_status(req, State.SPAM, coordinator)
            continue
        hotline.change_status(req, State.TRIAGED, coordinator)
        if state in ("assigned", "in_progress", "resolved"):
            hotline.assign(req, rosa, coordinator)
            hotline.add_note(req, coordinator, "Rosa speaks Spanish and lives nearby.")
        if state in ("in_progress", "resolved"):
            hotline.change_status(req, State.IN_PROGRESS, rosa)
        if state == "resolved":
            hotline.add_note(req, rosa, "Clinic on 5th gave a month of insulin.")
            hotline.change_status(req, State.RESOLVED, rosa)
    yield f"Hotline: {len(HOTLINE_SAMPLES)} sample requests in various states"
    if coordinator is not None:
        for language, title, body in SAVED_REPLIES:
            replies.create(coordinator, language, title, body, [language])
        yield f"Hotline: {len(SAVED_REPLIES)} saved replies"


SAVED_REPLIES = [
    ("en", "Received", "We received your request {code}. A coordinator will text you today."),
    ("en", "Lawyer", "A lawyer from the network will call you. Your reference is {code}."),
    ("es", "Recibida", "Recibimos su solicitud {code}. Una persona coordinadora le escribirá "
                       "hoy."),
    ("es", "Abogado", "Un abogado de la red le llamará. Su código de referencia es {code}."),
]
