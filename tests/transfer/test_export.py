"""CSV exports: formula cells escaped, personal columns only after password + fresh code."""

from __future__ import annotations

import csv
import io

from sqlalchemy import select

from aid.auth.models import Role, Status
from aid.extensions import db
from aid.hotline import service as hotline
from aid.security.audit import AuditEvent
from aid.transfer.csvfile import escape

DANGEROUS = ("=HYPERLINK(\"http://x\")", "+1+2", "-2+3", "@SUM(A1)", "\tTab", "\rCR")


def test_every_formula_start_is_escaped():
    for value in DANGEROUS:
        assert escape(value) == "'" + value
    assert escape("Rosa") == "Rosa" and escape(12) == "12" and escape(None) == ""


def _request(name: str, details: str) -> None:
    hotline.create_request(hotline.Intake(
        category="food", urgency="days", area_id=None, language="es", contact_method="sms",
        details=details, name=name, phone="+12025550170"))


def _rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.get_data(as_text=True))))


def test_personal_columns_need_password_and_code(app, client, signed_in, aid_test):
    _request("=HYPERLINK(\"http://evil\",\"Click\")", "@SUM(1+1) -rm +x")
    admin = signed_in(Role.ADMIN, Status.VETTED)

    counts = aid_test.post_form(client, "/admin/export", {"kind": "requests"})
    assert counts.status_code == 200 and counts.mimetype == "text/csv"
    rows = _rows(counts)
    assert rows[0][:3] == ["code", "status", "category"] and "name" not in rows[0]
    assert len(rows) == 2

    no_code = aid_test.post_form(client, "/admin/export", {
        "kind": "requests", "personal": "y", "password": aid_test.PASSWORD, "code": "000000"})
    assert no_code.status_code == 400 and no_code.mimetype == "text/html"
    wrong_password = aid_test.post_form(client, "/admin/export", {
        "kind": "requests", "personal": "y", "password": "not it",
        "code": aid_test.totp_code(admin)})
    assert wrong_password.status_code == 400 and wrong_password.mimetype == "text/html"

    db.session.refresh(admin)
    personal = aid_test.post_form(client, "/admin/export", {
        "kind": "requests", "personal": "y", "password": aid_test.PASSWORD,
        "code": aid_test.totp_code(admin)})
    assert personal.status_code == 200 and personal.mimetype == "text/csv"
    assert personal.headers["Cache-Control"] == "no-store"
    header, row = _rows(personal)
    record = dict(zip(header, row, strict=True))
    assert record["name"] == "'=HYPERLINK(\"http://evil\",\"Click\")"
    assert record["details"] == "'@SUM(1+1) -rm +x"
    # A phone in E.164 starts with "+": escaped like any formula start (shown as text).
    assert record["phone"] == "'+12025550170"
    details = [a.detail for a in db.session.scalars(
        select(AuditEvent).where(AuditEvent.action.like("export.%")).order_by(AuditEvent.id))]
    assert details == ["requests counts", "code", "password", "requests personal"]


def test_every_export_downloads(app, client, signed_in, aid_test):
    signed_in(Role.ADMIN, Status.VETTED)
    for kind in ("requests", "volunteers", "shifts", "rosters"):
        page = aid_test.post_form(client, "/admin/export", {"kind": kind})
        assert page.status_code == 200 and page.mimetype == "text/csv", kind


def test_coordinators_cannot_export(client, signed_in):
    signed_in(Role.COORDINATOR, Status.VETTED)
    assert client.get("/admin/export").status_code in (403, 404)
