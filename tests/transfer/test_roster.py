"""The printable shift roster: who is on the shift, and a stylesheet that prints it alone."""

from __future__ import annotations

import re
from pathlib import Path

from aid.auth.models import Role, Status
from aid.shifts import signups
from tests.volunteers import factories


def test_a_coordinator_prints_the_roster(client, signed_in, make_user):
    coordinator = make_user(Role.COORDINATOR, Status.VETTED)
    shift = factories.shift(coordinator)
    rosa = factories.volunteer(name="Rosa Díaz", phone="+12025550180")
    signups.sign_up(shift.id, rosa)
    signed_in(Role.COORDINATOR, Status.VETTED)

    page = client.get(f"/coordinator/shifts/{shift.id}/roster")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Rosa Díaz" in html and "+1 202-555-0180" in html
    assert "Side door of 12 Elm St" in html
    shift_page = client.get(f"/shifts/{shift.id}").get_data(as_text=True)
    assert f"/coordinator/shifts/{shift.id}/roster" in shift_page


def test_volunteers_cannot_open_a_roster(client, signed_in, make_user):
    shift = factories.shift(make_user(Role.COORDINATOR, Status.VETTED))
    signed_in(Role.VOLUNTEER, Status.VETTED)
    assert client.get(f"/coordinator/shifts/{shift.id}/roster").status_code in (403, 404)


def test_the_stylesheet_prints_content_only():
    css = (Path(__file__).resolve().parents[2] / "static" / "aid.css").read_text()
    block = re.search(r"@media print \{(.*)\n\}", css, re.S)
    assert block and "header.top" in block.group(1) and "display:none" in block.group(1)
