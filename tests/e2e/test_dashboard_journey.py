"""A coordinator signs in and lands on the dashboard, follows "2 urgent new requests", assigns
the best-placed volunteer, texts a saved reply, and sees the chart change. The dashboard and
the request page pass axe-core at phone and laptop widths, and break no rule of the CSP."""

from __future__ import annotations

from pathlib import Path

import pyotp
import pytest
from playwright.sync_api import Browser, Page, expect

from aid.auth.models import Role, Status, User
from aid.extensions import db
from aid.hotline import replies
from aid.hotline import service as hotline
from aid.network import service as network
from aid.volunteers import service as volunteers
from tests.e2e.pages import STEP_TIMEOUT_MS, DashboardPage, RequestPage, SignInPage
from tests.helpers import PASSWORD

pytestmark = pytest.mark.e2e

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
SIZES = [(360, 740), (1280, 900)]
AXE_JS = """async () => {
  const r = await axe.run(document, {resultTypes: ['violations']});
  return r.violations.map(v => v.id + ' (' + v.impact + '): ' +
    v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '));
}"""
WIDER_THAN_SCREEN_JS = "() => document.documentElement.scrollWidth > window.innerWidth"


def _volunteer(name: str, email: str, languages: list[str], area_ids: list[int],
               phone: str) -> User:
    user = volunteers.sign_up(email, PASSWORD, volunteers.ProfileData(
        display_name=name, phone=phone, languages=languages, skills=["accompaniment"],
        area_ids=area_ids, availability=[], referral="-"))
    user.status = str(Status.VETTED)
    db.session.commit()
    return user


def _urgent_request(area_id: int, details: str) -> None:
    hotline.create_request(hotline.Intake(
        category="accompaniment", urgency="now", area_id=area_id, language="es",
        contact_method="sms", details=details, phone="+12025550160"))


@pytest.fixture
def network_with_two_urgent_requests(app, make_user) -> User:
    riverside = network.add_area("Riverside")
    coordinator = make_user(Role.COORDINATOR, email="coord@example.org")
    _volunteer("Rosa", "rosa@example.org", ["es", "en"], [riverside.id], "+12025550171")
    _volunteer("Dev", "dev@example.org", ["en"], [], "+12025550172")
    _urgent_request(riverside.id, "Tengo cita en el tribunal mañana y no quiero ir sola.")
    _urgent_request(riverside.id, "Necesito que alguien me acompañe a la clínica.")
    replies.create(coordinator, "es", "Acompañante",
                   "Una persona de la red le acompañará. Su código es {code}.", ["es"])
    return coordinator


def _signed_in(browser: Browser, base: str, coordinator: User, **context: object) -> Page:
    page = browser.new_context(locale="en-US", **context).new_page()
    page.set_default_timeout(STEP_TIMEOUT_MS)
    sign_in = SignInPage(page, base)
    sign_in.sign_in(coordinator.email, PASSWORD)
    db.session.refresh(coordinator)
    sign_in.enter_code(pyotp.TOTP(coordinator.totp_secret).now())
    return page


def test_from_the_dashboard_to_an_assigned_and_answered_request(
        browser: Browser, live_server: str, network_with_two_urgent_requests: User):
    page = _signed_in(browser, live_server, network_with_two_urgent_requests,
                      java_script_enabled=False)
    assert page.url == f"{live_server}/coordinator"  # staff land on their dashboard
    dashboard = DashboardPage(page, live_server)
    assert dashboard.this_week("by-state", "new") == 2
    assert dashboard.this_week("by-state", "assigned") == 0

    dashboard.follow("2 urgent new requests")
    page.locator("table.list a").first.click()
    request_page = RequestPage(page, live_server)
    assert request_page.ranked()[0].startswith("Assign Rosa speaks Spanish · Riverside")
    assert request_page.assign_top_ranked() == "Rosa"
    assert "Assigned to Rosa." in page.content()
    # The menu now shows who holds it, and the status menu the status it is in.
    assert page.get_by_label("Volunteer").locator("option:checked").inner_text() \
        .startswith("Rosa · ")
    assert page.get_by_label("Status").locator("option:checked").inner_text() == "Assigned"

    request_page.use_saved_reply("Acompañante")
    assert request_page.reply_box().startswith("Una persona de la red le acompañará.")
    request_page.send_text()
    assert "replied by text" in page.content()

    dashboard.open()
    assert dashboard.this_week("by-state", "new") == 1
    assert dashboard.this_week("by-state", "assigned") == 1
    expect(page.get_by_role("link", name="1 urgent new request", exact=True)).to_be_visible()
    assert page.locator("[data-figure=first-action]").inner_text() != "not enough data yet"


def test_with_javascript_a_saved_reply_fills_the_box_in_place_and_the_csp_holds(
        browser: Browser, live_server: str, network_with_two_urgent_requests: User):
    page = _signed_in(browser, live_server, network_with_two_urgent_requests)
    refused: list[str] = []
    page.on("console", lambda msg: refused.append(msg.text)
            if "Content Security Policy" in msg.text else None)
    DashboardPage(page, live_server).open()
    page.get_by_role("link", name="2 urgent new requests").click()
    page.locator("table.list a").first.click()
    # The request's page has loaded and its script has run: a tap before that would follow
    # the no-JavaScript link, which is right for a person but not what this test checks.
    page.wait_for_url("**/coordinator/requests/*")
    page.wait_for_load_state("load")
    url = page.url
    RequestPage(page, live_server).use_saved_reply("Acompañante")
    assert page.url == url  # no reload: the small script filled the box
    assert RequestPage(page, live_server).reply_box().startswith("Una persona de la red")
    assert not refused, refused


@pytest.mark.parametrize("where", ["dashboard", "request"])
def test_axe_finds_nothing_at_phone_and_laptop_widths(
        browser: Browser, live_server: str, network_with_two_urgent_requests: User, where: str):
    coordinator = network_with_two_urgent_requests
    page = _signed_in(browser, live_server, coordinator, bypass_csp=True)  # to inject axe
    request_page = RequestPage(page, live_server)
    if where == "request":
        page.goto(f"{live_server}/coordinator/requests")
        page.locator("table.list a").first.click()
        request_page.assign_top_ranked()
    else:
        page.goto(f"{live_server}/coordinator")
    # Every fold open, so axe sees what is inside them too.
    page.eval_on_selector_all("details", "all => all.forEach(d => d.open = true)")
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    problems = []
    for width, height in SIZES:
        page.set_viewport_size({"width": width, "height": height})
        if page.evaluate(WIDER_THAN_SCREEN_JS):
            problems.append(f"wider than the screen at {width} px")
        problems += [f"{width} px: {v}" for v in page.evaluate(AXE_JS)]
    assert not problems, problems
