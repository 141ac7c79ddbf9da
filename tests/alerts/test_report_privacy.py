"""Reports, their photos and verdicts under the privacy duties: the nightly purge, a
responder's export and deletion, the wipe of one area, the full wipe and key rotation."""

from __future__ import annotations

import base64
from datetime import timedelta

from sqlalchemy import func, select

from aid.alerts import photos, reports
from aid.alerts.models import Report, ReportPhoto, SmsReportDraft, Verdict
from aid.extensions import db
from aid.privacy import owndata, registry, wipe
from aid.privacy.service import purge_all
from aid.security.crypto import new_key
from aid.timeutil import utcnow
from tests.alerts.support import photo_with_exif, responder
from tests.fakes.fake_twilio import text_in
from tests.helpers import KEYS


def _n(model: type) -> int:
    return int(db.session.scalar(select(func.count()).select_from(model)) or 0)


def _report(area_id: int | None) -> Report:
    return reports.create_report(reports.NewReport(
        "enforcement", area_id, "Oak", "now", "vans", photos=[photo_with_exif((300, 200))]))


def test_old_reports_are_purged_with_their_photos_and_verdicts(app, areas, coordinator):
    old, new = _report(areas["Eastside"]), _report(areas["Eastside"])
    reports.judge(old, coordinator, "confirmed", "Seen.")
    old.created_at = utcnow() - timedelta(days=91)
    db.session.commit()
    assert purge_all(dry_run=True, kinds=["reports"]) == {"reports": 1}
    assert purge_all(kinds=["reports"]) == {"reports": 1}
    assert [r.id for r in db.session.scalars(select(Report))] == [new.id]
    assert _n(ReportPhoto) == 1 and _n(Verdict) == 0


def test_a_responders_verdicts_are_exported_and_blanked_with_their_account(
        app, areas, make_user, coordinator):
    asked = responder(make_user, areas["Eastside"])
    report = _report(areas["Eastside"])
    reports.dispatch(report, coordinator)
    reports.judge(report, asked, "confirmed", "Saw the vans at 9.")
    data = owndata.export(registry.ACCOUNT, asked)
    assert data["report_verdicts"][0]["note"] == "Saw the vans at 9."
    owndata.forget(registry.ACCOUNT, asked, "test")
    db.session.commit()
    verdict = db.session.scalar(select(Verdict))
    assert verdict.note == "" and verdict.user_id is None
    db.session.refresh(report)
    assert report.status == "confirmed"  # the level holds without the person


def test_an_area_wipe_takes_its_reports_and_photos_and_texted_drafts(app, areas, client):
    east, river = _report(areas["Eastside"]).id, _report(areas["Riverside"]).id
    text_in(client, "REPORT", "+12025550190")
    counts = wipe.wipe_area(areas["Eastside"])
    assert counts.get("alert_reports") == 1
    assert list(db.session.scalars(select(Report.id))) == [river]
    assert db.session.get(Report, east) is None
    assert set(db.session.scalars(select(ReportPhoto.report_id))) == {river}
    assert _n(SmsReportDraft) == 0


def test_the_full_wipe_empties_reports_and_photos(app, areas):
    _report(areas["Eastside"])
    wipe.wipe_all()
    assert _n(Report) == 0 and _n(ReportPhoto) == 0


def test_photos_and_report_words_read_back_after_key_rotation(app, app_factory, areas,
                                                             coordinator):
    report = _report(areas["Eastside"])
    report.vehicle_info = "plate 7ABC123"
    db.session.commit()
    photo = db.session.scalar(select(ReportPhoto))
    before = base64.b64decode(photo.data)
    old_data, old_index = KEYS["AID_DATA_KEYS"], KEYS["AID_INDEX_KEY"]
    new_data, new_index = new_key(), new_key()
    both = app_factory(AID_DATA_KEYS=f"{new_data},{old_data}", AID_INDEX_KEY=new_index)
    with both.app_context():
        result = both.test_cli_runner().invoke(
            args=["keys", "rotate", "--old-index-key", old_index])
        assert "Re-encrypted" in result.output, result.output
    only_new = app_factory(AID_DATA_KEYS=new_data, AID_INDEX_KEY=new_index)
    with only_new.app_context():
        staff = db.session.scalar(select(Report))
        assert staff.vehicle_info == "plate 7ABC123"
        staff_user = db.session.get(type(coordinator), coordinator.id)
        assert photos.open_photo(report.id, photo.id, staff_user) == before

