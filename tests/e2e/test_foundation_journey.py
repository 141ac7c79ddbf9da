"""A new coordinator's first afternoon, in a real browser with JavaScript turned off."""

from __future__ import annotations

import pyotp
import pytest
from playwright.sync_api import expect

from aid.auth.models import Role
from tests.e2e.pages import Header, SignInPage
from tests.helpers import PASSWORD

pytestmark = pytest.mark.e2e


def test_coordinator_enrols_codes_signs_in_and_works_in_spanish(page, live_server, make_user):
    make_user(Role.COORDINATOR, email="lucia@example.org", name="Lucía", totp=False)
    sign_in = SignInPage(page, live_server)

    sign_in.sign_in("lucia@example.org", PASSWORD)
    assert page.url.endswith("/login/enrol")
    assert page.locator("figure.qr svg").count() == 1  # drawn by the server, no script
    secret = sign_in.enrol_code_key()
    codes = sign_in.enter_enrolment_code(secret)
    assert len(codes) == 10
    page.get_by_role("link", name="I have written them down").click()
    assert "Signed in as Lucía." in page.content()

    header = Header(page)
    header.switch_language("Español")
    expect(page.get_by_role("button", name="Cerrar sesión")).to_be_visible()  # waits for it
    assert page.locator("html").get_attribute("lang") == "es"
    assert "Sesión iniciada como Lucía." in page.content()

    header.sign_out("Cerrar sesión")
    expect(page.get_by_role("link", name="Iniciar sesión")).to_be_visible()
    page.goto(f"{live_server}/account")
    assert "/login" in page.url


def test_admin_signs_in_with_a_code_and_adds_an_area(page, live_server, make_user):
    admin = make_user(Role.ADMIN, email="admin@example.org")
    sign_in = SignInPage(page, live_server)
    sign_in.sign_in("admin@example.org", PASSWORD)
    sign_in.enter_code(pyotp.TOTP(admin.totp_secret).now())
    page.get_by_role("link", name="Administration").click()
    page.get_by_role("link", name="Areas", exact=True).click()
    page.get_by_label("New area").fill("Riverside")
    page.get_by_role("button", name="Add area").click()
    expect(page.get_by_role("cell", name="Riverside")).to_be_visible()
    assert "Area added." in page.content()
