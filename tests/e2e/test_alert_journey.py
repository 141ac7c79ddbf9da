"""A report comes in, a coordinator confirms it and writes the alert in English and Spanish,
a second coordinator approves, a real worker sends it through the fake Twilio, and the
progress bar on the open page climbs to 100 % without a reload (JavaScript on)."""

from __future__ import annotations

import re
import time
from collections import Counter

import pytest
from flask import Flask
from playwright.sync_api import expect

from aid.auth.models import Role
from aid.extensions import db
from aid.network import service as network
from tests.alerts.support import add_subscribers
from tests.e2e.pages import (
    AlertPage,
    ComposeAlertPage,
    ReportFormPage,
    ReportsPage,
    new_page,
    sign_in_as,
)
from tests.helpers import PASSWORD

pytestmark = pytest.mark.e2e


@pytest.fixture
def app_settings(app_settings: dict[str, str], small_fanout: dict[str, str]) -> dict[str, str]:
    return {**app_settings, **small_fanout, "AID_ALERT_APPROVAL_THRESHOLD": "5"}


@pytest.fixture
def app(twilio_app: Flask, queue_worker: None) -> Flask:
    """The live app sends through the fake Twilio; a consumer thread runs its jobs."""
    return twilio_app


def test_report_confirmed_written_in_two_languages_approved_and_sent_to_100_percent(
        browser, live_server, make_user, twilio):  # noqa: F811
    area = network.add_area("Eastside").id
    english = add_subscribers(6, "en", [area])
    spanish = add_subscribers(6, "es", [area])
    author = make_user(Role.COORDINATOR, email="ana@example.org", name="Ana")
    second = make_user(Role.COORDINATOR, email="ben@example.org", name="Ben")
    db.session.commit()

    # Someone on the street reports it: no account, no JavaScript.
    witness = new_page(browser)
    ReportFormPage(witness, live_server).report(
        "Immigration enforcement activity", "Eastside", "corner of Oak and 5th",
        "Happening now", "Two unmarked vans, agents in vests stopping people.")
    assert "Coordinators will check your report" in witness.content()

    # Ana confirms it and writes the alert in English and Spanish (12 people: over the
    # threshold of 5, so she cannot send it alone).
    ana = sign_in_as(browser, live_server, "ana@example.org", PASSWORD, author.totp_secret,
                     javascript=True)
    reports = ReportsPage(ana, live_server)
    reports.open_latest()
    assert "Two unmarked vans" in ana.content()
    reports.confirm("I called the shop on the corner: they see the vans.")
    assert "The report is marked Confirmed." in ana.content()
    reports.write_alert()
    compose = ComposeAlertPage(ana)
    compose.write({"English": "ICE vans at Oak & 5th. Stay inside, do not open the door.",
                   "Spanish": "Camionetas de ICE en Oak y 5th. Quédese adentro, no abra."})
    alert_id = int(re.search(r"/coordinator/alerts/(\d+)$", ana.url).group(1))
    compose.ask_for_approval()
    assert "another coordinator has to approve it" in ana.content()
    assert "Approve and send" not in ana.content()  # never her own
    assert twilio.sent == []

    # Ben approves. Twilio answers slowly, so the page opens while texts are going out.
    twilio.delay = 0.4
    ben = sign_in_as(browser, live_server, "ben@example.org", PASSWORD, second.totp_secret,
                     javascript=True)
    alert_page = AlertPage(ben, live_server)
    alert_page.open(alert_id)
    alert_page.approve()
    assert "Approved. Sending now." in ben.content()
    first = int(alert_page.percent().rstrip("%"))
    assert first < 100
    ben.evaluate("window.stillTheSamePage = true")

    # The bar and the numbers climb on their own, to 100 %.
    expect(ben.locator("#progress p > [data-field=percent_text]")).to_have_text(
        "100%", timeout=30_000)
    assert ben.evaluate("window.stillTheSamePage === true")  # no reload happened
    assert alert_page.bar.get_attribute("value") == alert_page.bar.get_attribute("max") == "12"
    assert alert_page.language_row("English") == ["English", "0", "6", "0", "0", "0"]
    assert alert_page.language_row("Spanish") == ["Spanish", "0", "6", "0", "0", "0"]
    expect(ben.locator("#progress h2 [data-field=status_label]")).to_have_text("Sent")
    expect(ben.get_by_role("link", name="Refresh")).to_be_hidden()

    # Everyone got it exactly once, in their language.
    deadline = time.monotonic() + 5
    while len(twilio.sent) < 12 and time.monotonic() < deadline:
        time.sleep(0.05)
    to = Counter(form["To"] for form in twilio.sent)
    assert set(to) == set(english) | set(spanish) and max(to.values()) == 1
    bodies = {form["To"]: form["Body"] for form in twilio.sent}
    assert all(bodies[n].startswith("ICE vans") for n in english)
    assert all(bodies[n].startswith("Camionetas de ICE") for n in spanish)
