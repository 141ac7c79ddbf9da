"""A demo detention-response case and a small legal-support directory for `aid demo`."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from sqlalchemy import select

from aid.auth import service as accounts
from aid.cases import legal, milestones, service
from aid.cases.models import Case
from aid.extensions import db
from aid.network.models import Area
from aid.timeutil import utcnow


def create_demo() -> Iterator[str]:
    coordinator = accounts.find_by_email("coord@demo.example")
    rosa = accounts.find_by_email("rosa@demo.example")
    area = db.session.scalar(select(Area).where(Area.name == "Eastside"))
    if coordinator is None or area is None or db.session.scalar(select(Case.id).limit(1)):
        return
    for kind, name, languages, takes, reach in (
            ("lawyer", "Ortiz & Reyes Immigration Law", ["es", "en"], ["lawyer", "bond"],
             "(503) 555-0170, weekdays 9-5; ask for the detention line"),
            ("bond_fund", "Eastside Community Bond Fund", ["en", "es"], ["bond"],
             "bonds@example.org; a volunteer answers within a day"),
            ("clinic", "University Immigration Clinic", ["en"], ["lawyer"],
             "Walk-in on Tuesdays, 2-6 pm, room 110")):
        legal.save_entry(None, legal.ContactData(kind=kind, name=name, reach=reach,
                                                 languages=languages, takes=takes), coordinator)
    case = service.create_case(service.CaseData(
        contact_name="Lucía (sister)", contact_phone="+15035550188", language="es",
        area_id=area.id, needs=["lawyer", "bond", "childcare"]), coordinator)
    if rosa is not None:
        service.add_member(case, rosa.id, coordinator)
    hearing = (utcnow() + timedelta(days=6)).replace(minute=0, second=0, microsecond=0)
    milestones.add_milestone(case, coordinator, "bond_hearing", hearing,
                             "Immigration court, 3rd floor")
    service.add_note(case, coordinator, "Lucía is looking after the two children. The family "
                     "wants a Spanish-speaking lawyer.")
    yield "Cases: one detention-response case and three legal-support contacts"
