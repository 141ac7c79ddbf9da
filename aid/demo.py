"""`aid demo`: a believable small network so a newcomer sees a living app.

Every feature adds its own sample data here as it lands. Running it twice changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import select

from aid.admin import service as network
from aid.admin.models import Area
from aid.auth import service as accounts
from aid.auth.models import Role, Status
from aid.extensions import db

DEMO_PASSWORD = "demo-password-change-me"  # noqa: S105 (printed for the demo, on purpose)
AREAS = ["Eastside", "Riverside", "Old Town", "North Hills", "Market District", "Southgate"]
# Fictional numbers: 555-0100..0199 is kept for fiction in every North American area code.
SUBSCRIBERS = [
    ("+12025550141", ["Eastside"], ["enforcement", "police"], "es"),
    ("+12025550142", [], ["enforcement", "police", "safety", "community"], "en"),
    ("+12025550143", ["Riverside", "Old Town"], ["enforcement", "safety"], "es"),
    ("+12025550144", ["Market District"], ["community"], "en"),
]
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
        network.save_settings(network_name="Eastside Mutual Aid", hotline_number="+15550100199",
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
    yield from _demo_subscribers()


def _demo_subscribers() -> Iterator[str]:
    from aid.sms import subscriptions

    by_name = {a.name: a.id for a in db.session.scalars(select(Area))}
    added = 0
    for phone, areas, topics, language in SUBSCRIBERS:
        if subscriptions.find_subscriber(phone) is None:
            choices = subscriptions.Choices([by_name[a] for a in areas], topics, language)
            subscriptions.subscribe(phone, choices, "web")
            added += 1
    yield f"Alert subscribers: {len(SUBSCRIBERS)} ({added} new)"
