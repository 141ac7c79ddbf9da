"""A report with a photo comes in on the public form; the network needs two confirmations;
two responders asked by a coordinator confirm it on their phones (they see the photo, which
carries no trace of where or when it was taken); the alert goes out marked confirmed."""

from __future__ import annotations

import io
import re
import time
from pathlib import Path

import pytest
from flask import Flask
from PIL import Image

from aid.auth.models import Role, Status
from aid.extensions import db
from aid.network import service as network
from aid.volunteers import service as volunteers
from aid.volunteers.service import ProfileData
from tests.alerts.support import GPS, add_subscribers, photo_with_exif
from tests.e2e.pages import (
    AlertPage,
    CheckReportPage,
    ComposeAlertPage,
    ReportFormPage,
    ReportsPage,
    new_page,
    sign_in_as,
)
from tests.fakes.fake_twilio import FakeTwilio
from tests.helpers import PASSWORD

pytestmark = pytest.mark.e2e


@pytest.fixture
def app_settings(app_settings: dict[str, str], small_fanout: dict[str, str]) -> dict[str, str]:
    return {**app_settings, **small_fanout, "AID_ALERT_APPROVAL_THRESHOLD": "50"}


@pytest.fixture
def app(twilio_app: Flask, queue_worker: None) -> Flask:
    """The live app sends through the fake Twilio; a consumer thread runs its jobs."""
    return twilio_app


def _responder(make_user, area_id: int, email: str, phone: str):
    user = make_user(Role.VOLUNTEER, Status.VETTED, email=email)
    volunteers.add_profile(user, ProfileData(
        display_name=user.display_name, phone=phone, languages=["en"],
        skills=["legal_observer"], area_ids=[area_id], availability=[], referral="Rosa",
        responder=True))
    db.session.commit()
    return user


def _wait_for(fake: FakeTwilio, predicate, n: int, seconds: float = 15) -> list[dict]:
    """The texts matching `predicate` once `n` of them arrived (the worker sends them)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = [f for f in fake.sent if predicate(f)]
        if len(found) >= n:
            return found
        time.sleep(0.05)
    return [f for f in fake.sent if predicate(f)]


def test_a_report_with_a_photo_confirmed_by_two_responders_goes_out_marked_confirmed(
        browser, live_server, make_user, twilio, tmp_path: Path):  # noqa: F811
    network.save_settings(verifiers_needed=2)
    area = network.add_area("Eastside").id
    english = add_subscribers(2, "en", [area])
    spanish = add_subscribers(2, "es", [area])
    coordinator = make_user(Role.COORDINATOR, email="ana@example.org", name="Ana")
    _responder(make_user, area, "rosa@example.org", "+12025550171")
    _responder(make_user, area, "luis@example.org", "+12025550172")
    make_user(Role.VOLUNTEER, Status.VETTED, email="otro@example.org")
    photo = tmp_path / "IMG_2041.jpg"
    photo.write_bytes(photo_with_exif())

    # A witness reports it with a photo: no account, no JavaScript.
    witness = new_page(browser)
    ReportFormPage(witness, live_server).report(
        "Immigration enforcement activity", "Eastside", "corner of Oak and 5th",
        "Happening now", "A checkpoint stopping cars.", activity="Checkpoint",
        photo=str(photo), officers="6", vehicles="3", agency="ICE")
    assert "Coordinators will check your report" in witness.content()

    # Ana asks the Eastside responders to go and look.
    ana = sign_in_as(browser, live_server, "ana@example.org", PASSWORD, coordinator.totp_secret)
    reports = ReportsPage(ana, live_server)
    reports.open_latest()
    report_id = int(re.search(r"/coordinator/reports/(\d+)$", ana.url).group(1))
    assert "A checkpoint stopping cars." in ana.content() and "Checkpoint" in ana.content()
    reports.ask_responders()
    assert "Texted 2 responders." in ana.content()
    asked = _wait_for(twilio, lambda f: f"/alerts/check/{report_id}" in f["Body"], 2)
    assert {f["To"] for f in asked} == {"+12025550171", "+12025550172"}

    # A volunteer who was not asked sees nothing of it, photo included.
    stranger = sign_in_as(browser, live_server, "otro@example.org", PASSWORD)
    stranger.goto(f"{live_server}/alerts/check/{report_id}")
    assert "A checkpoint stopping cars." not in stranger.content()

    # Rosa confirms: one of two.
    rosa = sign_in_as(browser, live_server, "rosa@example.org", PASSWORD)
    check = CheckReportPage(rosa, live_server)
    check.open(report_id)
    seen = Image.open(io.BytesIO(check.photo_bytes()))
    assert dict(seen.getexif()) == {} and not seen.getexif().get_ifd(GPS)
    check.answer("Confirmed: I saw it myself", "Six agents and three SUVs at the corner.")
    assert "Your answer is recorded" in rosa.content()
    ana.reload()
    assert "Probable" in ana.content() and "Write an alert from this report" in ana.content()

    # Luis confirms: two of two.
    luis = sign_in_as(browser, live_server, "luis@example.org", PASSWORD)
    CheckReportPage(luis, live_server).open(report_id)
    CheckReportPage(luis, live_server).answer("Confirmed: I saw it myself",
                                              "Still there at 9:40.")
    ana.reload()
    assert "Needs 2 confirmations" in ana.content() and "Confirmed: 2" in ana.content()

    # Ana writes the alert and sends it; every text says it was confirmed by two.
    reports.write_alert()
    ComposeAlertPage(ana).write({
        "English": "ICE checkpoint at Oak & 5th. Avoid the area.",
        "Spanish": "Retén de ICE en Oak y 5th. Evite la zona."})
    alert_id = int(re.search(r"/coordinator/alerts/(\d+)$", ana.url).group(1))
    assert "Confirmed by 2 responders." in ana.content()  # the preview shows it
    ana.get_by_role("button", name="Send now").click()
    alerts = _wait_for(twilio, lambda f: f["To"] in english + spanish, 4)
    bodies = {f["To"]: f["Body"] for f in alerts}
    assert set(bodies) == set(english) | set(spanish)
    assert all("Avoid the area. Confirmed by 2 responders." in bodies[n] for n in english)
    assert all("Evite la zona. Confirmado por 2 voluntarios." in bodies[n] for n in spanish)
    AlertPage(ana, live_server).open(alert_id)
    assert "Confirmed by 2 responders." in ana.content()
