"""A neighbour signs up in Spanish, two members vouch, a coordinator confirms, and the new
volunteer takes an accompaniment shift and is the only one of them who sees where to meet."""

from __future__ import annotations

from datetime import timedelta

import pytest

from aid.auth.models import Role, Status
from aid.network import service as network
from aid.timeutil import to_local, utcnow
from tests.e2e.pages import (
    MyPage,
    ShiftsPage,
    VolunteerSignupPage,
    VolunteersPage,
    VouchPage,
    new_page,
    sign_in_as,
)
from tests.helpers import PASSWORD

pytestmark = pytest.mark.e2e

PLACE = "Side entrance of the county court, 3rd floor; ask for Marta"


def test_signup_vouch_confirm_and_take_a_shift(browser, live_server, make_user):
    network.add_area("Riverside")
    coordinator = make_user(Role.COORDINATOR, email="coord@example.org")
    make_user(Role.VOLUNTEER, Status.VETTED, email="ana@example.org", name="Ana")
    make_user(Role.VOLUNTEER, Status.VETTED, email="ben@example.org", name="Ben")
    make_user(Role.VOLUNTEER, Status.VETTED, email="carla@example.org", name="Carla")

    # A coordinator opens a court accompaniment for next week.
    staff = sign_in_as(browser, live_server, "coord@example.org", PASSWORD,
                       coordinator.totp_secret)
    day = to_local(utcnow() + timedelta(days=7)).date().isoformat()
    ShiftsPage(staff, live_server).create(
        "Court date", day, "09:30", "Riverside", needed=2,
        summary="Accompany a parent to a custody hearing", meeting_place=PLACE)
    assert "Shift saved." in staff.content()

    # Lupe signs up on a phone set to Spanish, without JavaScript.
    lupe = new_page(browser, locale="es-MX")
    VolunteerSignupPage(lupe, live_server).sign_up(
        "Lupe", "lupe@example.org", "(202) 555-0143", "Riverside", PASSWORD,
        "Ana y Ben, de la despensa de la iglesia")
    assert "Mi página" in lupe.content()
    assert "Avales hasta ahora: 0 de 2." in lupe.content()
    assert PLACE not in lupe.content()
    vouch_link = MyPage(lupe, live_server).vouch_link()

    # Ana and Ben open the link she sent them, sign in, and vouch.
    for email in ("ana@example.org", "ben@example.org"):
        member = new_page(browser)
        member.goto(vouch_link)  # not signed in yet: the link survives the sign-in
        member.get_by_label("Email").fill(email)
        member.get_by_label("Password").fill(PASSWORD)
        member.get_by_role("button", name="Sign in").click()
        assert "Vouch for Lupe" in member.content()
        VouchPage(member).vouch(vouch_link, "We run the food pantry with her")
        assert "Your vouch is recorded" in member.content()
        member.context.close()
    MyPage(lupe, live_server).open()
    assert "Avales hasta ahora: 2 de 2." in lupe.content()

    # The coordinator sees who vouched and confirms.
    volunteers = VolunteersPage(staff, live_server)
    volunteers.open_applicant("Lupe")
    assert "Ana" in staff.content() and "Ben" in staff.content()
    volunteers.confirm_on_vouches()
    assert "Confirmed: the volunteer is now vetted." in staff.content()

    # Lupe, now vetted, takes the shift and sees where to meet -- still in Spanish.
    MyPage(lupe, live_server).open()
    assert "Avales" not in lupe.content()
    lupe.get_by_role("link", name="Ver turnos abiertos").click()
    shifts = ShiftsPage(lupe, live_server)
    lupe.get_by_role("link", name="Cita en el tribunal").click()
    shifts.take_place("Inscribirse en este turno")
    assert "Está confirmado/a en este turno." in lupe.content()
    assert shifts.meeting_place("Lugar de encuentro") == PLACE

    # Carla is vetted but not on this shift: she sees the shift, never the place.
    carla = sign_in_as(browser, live_server, "carla@example.org", PASSWORD)
    ShiftsPage(carla, live_server).open_shift("Court date")
    assert "Accompany a parent to a custody hearing" in carla.content()
    assert PLACE not in carla.content()
    assert "Shown once you are confirmed on this shift." in carla.content()
