"""A detention is recorded on the after-action report; the coordinator opens a case from it,
adds a hearing date and a lawyer from the directory; the family's reminder reaches the fake
Twilio in Spanish, with no place and no name in it."""

from __future__ import annotations

from datetime import timedelta

import pyotp
import pytest
from flask import Flask
from sqlalchemy import select

from aid.auth.models import Role, Status
from aid.cases import legal, milestones
from aid.cases.models import Case, Milestone
from aid.extensions import db
from aid.timeutil import to_local, utcnow
from tests.e2e.case_pages import CasePage, ShiftReportPage
from tests.e2e.pages import SignInPage
from tests.helpers import PASSWORD
from tests.volunteers import factories

pytestmark = pytest.mark.e2e

FAMILY = "+12025550161"
PLACE = "Immigration court, 3rd floor, room 312"


@pytest.fixture
def app(twilio_app: Flask) -> Flask:
    return twilio_app


def test_a_detention_becomes_a_case_and_the_family_is_reminded_in_spanish(
        app, browser, live_server, make_user, twilio):
    app.config["PUBLIC_URL"] = live_server
    coordinator = make_user(Role.COORDINATOR, Status.VETTED, email="coord@example.org",
                            name="Marisol")
    shift = factories.shift(coordinator, starts_at=utcnow() - timedelta(hours=4))
    legal.save_entry(None, legal.ContactData(
        kind="lawyer", name="Abogada Ruiz", reach="(202) 555-0190", languages=["es"],
        takes=["lawyer"]), coordinator)

    page = browser.new_context(locale="en-US", java_script_enabled=False).new_page()
    sign_in = SignInPage(page, live_server)
    sign_in.sign_in("coord@example.org", PASSWORD)
    sign_in.enter_code(pyotp.TOTP(coordinator.totp_secret).now())

    ShiftReportPage(page, live_server).record_detention(
        shift.id, "Taken into custody at the check-in")
    assert "Person detained" in page.content()
    case_page = CasePage(page, live_server)
    case_page.open_from_the_report("Lucia Gomez", "(202) 555-0161", "Español",
                                   ["Lawyer", "Bond"])
    assert "Case opened" in page.content()
    case = db.session.scalar(select(Case))
    assert case.shift_report_id is not None and case.language == "es"

    hearing = to_local(utcnow() + timedelta(days=5)).replace(hour=9, minute=30, second=0,
                                                              microsecond=0)
    case_page.add_date("Hearing", hearing, PLACE)
    assert "A draft accompaniment shift was made" in page.content()
    case_page.link_suggested("Abogada Ruiz")
    assert "Linked to the case" in page.content()
    assert page.locator("#legal").get_by_text("Abogada Ruiz").count() >= 1

    # The worker's periodic job, run directly with a clock three days before the hearing.
    db.session.expire_all()
    row = db.session.scalar(select(Milestone))
    assert milestones.send_due_reminders(now=row.at - timedelta(hours=71)) == 1
    [text] = [m["Body"] for m in twilio.sent if m["To"] == FAMILY]
    assert "¿Necesita que alguien le acompañe? Responda SI o NO." in text
    for secret in ("Lucia", "Gomez", "312", "court", "Marisol", "Ruiz"):
        assert secret.lower() not in text.lower()
