"""`aid demo`: a believable small network so a newcomer sees a living app.

Every feature adds its own sample data here as it lands. Running it twice changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import select

from aid.alerts.demo import create_demo as alerts_demo
from aid.auth import service as accounts
from aid.auth.models import Role, Status
from aid.board.demo import create_demo as board_demo
from aid.cases.demo import create_demo as cases_demo
from aid.extensions import db
from aid.hotline.demo import create_demo as hotline_demo
from aid.network import service as network
from aid.network.models import Area
from aid.outreach.demo import create_demo as outreach_demo
from aid.shifts.demo import create_demo as shifts_demo
from aid.sms.demo import create_demo as subscribers_demo
from aid.volunteers.demo import create_demo as volunteers_demo

DEMO_PASSWORD = "demo-password-change-me"  # noqa: S105 (printed for the demo, on purpose)
AREAS = ["Eastside", "Riverside", "Old Town", "North Hills", "Market District", "Southgate"]
PEOPLE = [
    ("admin@demo.example", "Alex (admin)", Role.ADMIN, Status.VETTED),
    ("coord@demo.example", "Marisol (coordinator)", Role.COORDINATOR, Status.VETTED),
    ("rosa@demo.example", "Rosa", Role.VOLUNTEER, Status.VETTED),
    ("dev@demo.example", "Dev", Role.VOLUNTEER, Status.VETTED),
    ("newcomer@demo.example", "Sam", Role.VOLUNTEER, Status.APPLIED),
]


def create_demo() -> Iterator[str]:
    existing = {a.name for a in db.session.scalars(select(Area))}
    for name in AREAS:
        if name not in existing:
            network.add_area(name)
    settings = network.current_settings()
    if settings.network_name == "Aid":
        network.save_settings(network_name="Eastside Mutual Aid", hotline_number="+15035550142",
                              default_region=settings.default_region,
                              languages=settings.languages,
                              code_of_conduct=settings.code_of_conduct)
    yield f"Areas: {', '.join(AREAS)}"
    yield f"Accounts (password for all: {DEMO_PASSWORD}):"
    for email, name, role, status in PEOPLE:
        if accounts.find_by_email(email):
            yield f"  {email:24} {role.value:12} (already there)"
            continue
        user = accounts.create_user(email, name, role, DEMO_PASSWORD, status)
        uri = accounts.enrol_totp_now(user) if user.needs_totp else ""
        db.session.commit()
        yield f"  {email:24} {role.value:12} {status.value}"
        if uri:
            yield f"    authenticator: {uri}"
    yield from hotline_demo()
    yield from board_demo()
    yield from subscribers_demo()
    yield from volunteers_demo()
    yield from shifts_demo()
    yield from alerts_demo()
    yield from cases_demo()
    yield from outreach_demo()
