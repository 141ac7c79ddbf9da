"""Alerts and the reports behind them, as privacy sees them.

Reports (with their photos, verdicts and half-finished texted reports) are purged after the
admin's "reports" period, go with a wipe of their area, and are re-encrypted by rotation like
every encrypted column (a photo is an encrypted column too). Reports are anonymous: nothing
ties one to the person who sent it, so there is no reporter to export or forget; what a
responder wrote in their verdicts is theirs, exported and blanked with their account.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select, update

from aid.alerts import reports
from aid.alerts.models import (
    Dispatch,
    Report,
    ReportPhoto,
    SmsReportDraft,
    Verdict,
)
from aid.auth.models import User
from aid.extensions import db, rowcount
from aid.privacy import registry
from aid.privacy.owndata import when

REPORTS = ("alert_reports", "alert_report_photos", "alert_verdicts", "alert_sms_drafts")


@registry.on_purge("reports", tables=REPORTS)
def purge_reports(cutoff: datetime, dry_run: bool = False) -> int:
    """Reports that came in before `cutoff`, with their photos and verdicts."""
    if dry_run:
        return int(db.session.scalar(select(func.count(Report.id)).where(
            Report.created_at < cutoff)) or 0)
    return reports.purge_before(cutoff)


@registry.on_export(registry.ACCOUNT, tables=("alert_verdicts",))
def export_verdicts(user: User) -> dict[str, Any]:
    return {"report_verdicts": [
        {"report": v.report_id, "verdict": v.outcome, "note": v.note, "at": when(v.created_at)}
        for v in db.session.scalars(select(Verdict).where(Verdict.user_id == user.id))]}


@registry.on_forget(registry.ACCOUNT, tables=("alert_verdicts",), order=20)
def forget_verdicts(user: User, _reason: str) -> None:
    """Their words go; the verdict itself stays, unnamed, so a report's level holds."""
    db.session.execute(update(Verdict).where(Verdict.user_id == user.id)
                       .values(note="", user_id=None).execution_options(
                           synchronize_session=False))


@registry.on_area_wipe(tables=REPORTS)
def wipe_area(area_id: int) -> dict[str, int]:
    ids = list(db.session.scalars(select(Report.id).where(Report.area_id == area_id)))
    if ids:
        db.session.execute(update(Report).where(Report.merged_into_id.in_(ids))
                           .values(merged_into_id=None).execution_options(
                               synchronize_session=False))
        for table in (ReportPhoto, Verdict, Dispatch):
            db.session.execute(delete(table).where(table.report_id.in_(ids)))
        db.session.execute(delete(Report).where(Report.id.in_(ids)))
    # Half-finished texted reports live minutes and may name the area: all of them go.
    drafts = rowcount(db.session.execute(delete(SmsReportDraft))) or 0
    return {"alert_reports": len(ids), "alert_sms_drafts": drafts}


for _table in ("alert_reports", "alert_report_photos", "alert_sms_drafts"):
    registry.not_covered(_table, registry.OWN_DATA,
                         "anonymous: nothing ties a report, its photos or a texted draft to the "
                         "person who sent it (a draft is found by a keyed hash of the phone "
                         "for 30 minutes, then deleted)")
for _table in ("alerts", "alert_bodies"):
    registry.not_covered(_table, registry.PURGE,
                         "no retention period for alerts yet: kept as the network's record of "
                         "what was sent, until a wipe")
    registry.not_covered(_table, registry.OWN_DATA,
                         "written by staff about events, not about themselves; the links to "
                         "the author are cleared when the account goes (ON DELETE SET NULL)")
    registry.not_covered(_table, registry.AREA_WIPE,
                         "an alert may cover several areas: not wiped by area yet; the full "
                         "wipe empties it")
