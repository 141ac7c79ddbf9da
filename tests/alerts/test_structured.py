"""Structured reports: the public form with photos, the REPORT / REPORTE text exchange, and
photos stripped of their metadata, encrypted and shown only to those who may see them."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from PIL import Image
from sqlalchemy import select, text

from aid.alerts import photos, reports
from aid.alerts.models import Report, ReportPhoto, SmsReportDraft
from aid.auth.models import Role, Status
from aid.extensions import db
from aid.security.audit import AuditEvent
from aid.timeutil import utcnow
from tests.alerts.support import GPS, photo_with_exif, responder
from tests.fakes.fake_twilio import text_in


def _reply(response) -> str:
    found = re.search(r"<Message>(.*)</Message>", response.get_data(as_text=True), re.S)
    return found.group(1) if found else ""


def test_a_text_report_guided_in_spanish_becomes_a_structured_report(app, client, areas):
    sender = "+12025550177"
    first = _reply(text_in(client, "REPORTE", sender))
    assert "Responda con un número" in first and "1 Retén" in first
    assert "Cuántos" not in first
    assert "Qué zona" in _reply(text_in(client, "2", sender))
    assert "Cuándo" in _reply(text_in(client, "Eastside, esquina de Oak y 5ta", sender))
    again = _reply(text_in(client, "no sé", sender))  # not a number: asked again
    assert "no entendimos" in again and "Cuándo" in again
    assert "Cuántos agentes" in _reply(text_in(client, "1", sender))
    assert "agencia" in _reply(text_in(client, "6 2", sender))
    thanks = _reply(text_in(client, "1 van gris placa 7ABC123", sender))
    assert "Gracias" in thanks
    report = db.session.scalar(select(Report))
    assert report.source == "sms" and report.activity == "home_raid"
    assert report.kind == "enforcement" and report.area_id == areas["Eastside"]
    assert report.place == "Eastside, esquina de Oak y 5ta" and report.seen == "now"
    assert (report.officers, report.vehicles, report.agency) == (6, 2, "ice")
    assert report.vehicle_info == "van gris placa 7ABC123"
    assert db.session.scalar(select(SmsReportDraft)) is None  # the draft is gone
    raw = str(db.session.execute(text("SELECT place, vehicle_info FROM alert_reports")).all())
    assert "Oak" not in raw and "7ABC123" not in raw


def test_a_text_exchange_is_keyed_by_a_hash_and_expires(app, client, areas):
    sender = "+12025550178"
    text_in(client, "REPORT", sender)
    draft = db.session.scalar(select(SmsReportDraft))
    raw = str(db.session.execute(text("SELECT * FROM alert_sms_drafts")).all())
    assert sender not in raw and "2025550178" not in raw
    draft.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    # Stale: the answer is an ordinary text again (the hotline takes it).
    reply = _reply(text_in(client, "3", sender))
    assert "What is happening" not in reply and db.session.scalar(select(Report)) is None


def test_stop_in_the_middle_of_a_text_report_still_stops(app, client):
    sender = "+12025550179"
    text_in(client, "REPORT", sender)
    reply = _reply(text_in(client, "STOP", sender))
    assert "no more texts" in reply


def test_a_photo_is_stored_without_any_metadata_and_encrypted(aid_test, app, client, areas,
                                                               make_user):
    original = photo_with_exif()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(GPS)  # the test photo has GPS
    response = client.post("/alerts/report", data={
        "csrf_token": aid_test.csrf_token(client, "/alerts/report"), "kind": "enforcement",
        "activity": "checkpoint", "area": str(areas["Eastside"]), "place": "Oak and 5th",
        "seen": "now", "officers": "4", "vehicles": "2", "agency": "cbp",
        "vehicle_info": "two white SUVs", "details": "Checkpoint on Oak.",
        "photos": [(io.BytesIO(original), "IMG_0001.jpg", "image/jpeg")]},
        content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)
    report = db.session.scalar(select(Report))
    assert (report.activity, report.officers, report.agency) == ("checkpoint", 4, "cbp")
    [photo] = photos.of(report)
    stored = photos.open_photo(report.id, photo.id, make_user(Role.COORDINATOR, Status.VETTED))
    img = Image.open(io.BytesIO(stored))
    assert dict(img.getexif()) == {} and not img.getexif().get_ifd(GPS)
    assert "exif" not in img.info and max(img.size) == photos.MAX_SIDE
    assert b"PhoneMaker" not in stored
    raw = db.session.execute(text("SELECT data FROM alert_report_photos")).scalar_one()
    raw = bytes(raw)
    assert stored[:64] not in raw and b"\xff\xd8\xff" not in raw  # no JPEG in clear
    assert stored[100:164] not in raw
    database = app.config["SQLALCHEMY_DATABASE_URI"]
    if database.startswith("sqlite:///"):
        db.session.commit()
        on_disk = open(database.removeprefix("sqlite:///"), "rb").read()  # noqa: SIM115
        assert stored[200:264] not in on_disk and b"PhoneMaker" not in on_disk


def test_something_that_is_not_a_photo_is_refused_with_the_words_kept(aid_test, app, client):
    response = client.post("/alerts/report", data={
        "csrf_token": aid_test.csrf_token(client, "/alerts/report"), "kind": "enforcement",
        "seen": "now", "details": "Vans near the school.",
        "photos": [(io.BytesIO(b"%PDF-1.4 not an image"), "x.jpg", "image/jpeg")]},
        content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "not a photo we can read" in page
    assert "Vans near the school." in page and db.session.scalar(select(Report)) is None


def test_a_photo_too_big_is_refused(app):
    big = b"\xff\xd8" + b"0" * (photos.MAX_BYTES + 10)
    with app.test_request_context(), pytest.raises(photos.BadPhoto) as refused:
        photos.clean(big)
    with app.test_request_context():
        assert "5 MB" in refused.value.reason


def test_the_photo_route_is_for_staff_and_the_responders_asked_only(
        aid_test, app, client, areas, make_user):
    asked = responder(make_user, areas["Eastside"], phone="+12025550164")
    report = reports.create_report(reports.NewReport(
        "enforcement", areas["Eastside"], "Oak", "now", "vans", activity="checkpoint",
        photos=[photo_with_exif((800, 600))]))
    photo = db.session.scalar(select(ReportPhoto))
    url = f"/alerts/reports/{report.id}/photos/{photo.id}.jpg"
    anonymous = client.get(url)
    assert anonymous.status_code in (302, 401, 403, 404) and b"\xff\xd8" not in anonymous.data
    reports.dispatch(report, make_user(Role.COORDINATOR, Status.VETTED))
    for who, allowed in ((make_user(Role.VOLUNTEER, Status.VETTED), False), (asked, True),
                         (make_user(Role.COORDINATOR, Status.VETTED), True)):
        browser = app.test_client()
        browser.environ_base.update(client.environ_base)
        aid_test.sign_in(browser, who)
        response = browser.get(url)
        if allowed:
            assert response.status_code == 200 and response.mimetype == "image/jpeg"
            assert "no-store" in response.headers["Cache-Control"]
        else:
            assert response.status_code == 404 and b"\xff\xd8" not in response.data
    views = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "report_photo.viewed")).all()
    assert len(views) == 2 and all(v.target_id == photo.id for v in views)


def test_admins_edit_the_kinds_of_report(aid_test, app, client, make_user):
    aid_test.sign_in(client, make_user(Role.ADMIN, Status.VETTED))
    page = client.get("/admin/report-kinds").get_data(as_text=True)
    assert "Checkpoint" in page and "Home raid" in page
    aid_test.post_form(client, "/admin/report-kinds", {
        "name": "School pick-up", "name_es": "Salida de la escuela", "topic": "enforcement"})
    form = client.get("/alerts/report", headers={"Accept-Language": "es"}).get_data(
        as_text=True)
    assert "Salida de la escuela" in form
