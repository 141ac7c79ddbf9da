"""Someone asks for help in Spanish; a coordinator triages and assigns; the volunteer resolves."""

from __future__ import annotations

import pyotp
import pytest

from aid.auth.models import Role, Status
from aid.network import service as network
from tests.e2e.pages import AskForHelpPage, Header, RequestPage, SignInPage
from tests.helpers import PASSWORD

pytestmark = pytest.mark.e2e


def test_request_in_spanish_is_triaged_assigned_and_resolved(browser, live_server, make_user):
    network.add_area("Riverside")
    coordinator = make_user(Role.COORDINATOR, email="coord@example.org")
    make_user(Role.VOLUNTEER, Status.VETTED, email="rosa@example.org", name="Rosa")

    # A person on a phone set to Spanish, no account, no JavaScript.
    asker = browser.new_context(locale="es-MX", java_script_enabled=False).new_page()
    code = AskForHelpPage(asker, live_server).ask_for_food_today(
        "Riverside", "Necesito comida para mis hijos esta semana")
    assert len(code) == 7 and code[3] == "-"
    assert "Su código de referencia:" in asker.content()
    assert "Recibida. Una persona coordinadora la verá pronto." in asker.content()
    status_link = asker.url

    # The coordinator triages and assigns it.
    staff = browser.new_context(locale="en-US", java_script_enabled=False).new_page()
    sign_in = SignInPage(staff, live_server)
    sign_in.sign_in("coord@example.org", PASSWORD)
    sign_in.enter_code(pyotp.TOTP(coordinator.totp_secret).now())
    request_page = RequestPage(staff, live_server)
    request_page.open_from_queue(code)
    assert "Necesito comida para mis hijos" in staff.content()
    request_page.save_triage()
    request_page.assign_to("Rosa")
    assert "assigned to Rosa" in staff.content()

    # Rosa sees only what she needs, and marks it resolved.
    volunteer = browser.new_context(locale="en-US", java_script_enabled=False).new_page()
    SignInPage(volunteer, live_server).sign_in("rosa@example.org", PASSWORD)
    volunteer.get_by_role("link", name="My requests").click()
    volunteer.get_by_role("link", name=code).click()
    assert "Necesito comida para mis hijos" in volunteer.content()
    volunteer.get_by_role("button", name="Mark: Resolved").click()
    Header(volunteer).sign_out()

    # The person checks their private link and sees it resolved, in Spanish.
    asker.goto(status_link)
    assert "Resuelta. Si aún necesita ayuda, pida de nuevo." in asker.content()
    assert "Necesito comida" not in asker.content()  # the link shows status, never details
