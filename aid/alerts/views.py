"""Public alert pages: report something, the Atom feed and CAP documents; and the page a
responder opens from their text to say whether a report is true."""

from __future__ import annotations

from flask import Response, abort, current_app, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from aid import errors
from aid.alerts import bp, feeds, kinds, labels, photos, reports, service, verification
from aid.alerts.forms import ReportForm, VerifyForm
from aid.alerts.models import Alert
from aid.extensions import db, limiter
from aid.pagecache import cached
from aid.privacy.retention import retention_days
from aid.security import access, audit, cleaning
from aid.security.access import Level
from aid.sms.subscriptions import TOPICS

# What the public feeds show: a change to any of these drops their cached copies.
SHOWN = ("alerts", "alert_bodies", "areas", "network_settings")


def _report_limit() -> str:
    return current_app.config["REPORT_LIMIT"]


@bp.route("/alerts/report", methods=["GET", "POST"])
@limiter.limit(_report_limit, methods=["POST"])
@access.rule(Level.PUBLIC)
def report() -> ResponseReturnValue:
    form = ReportForm()
    if form.validate_on_submit():
        try:
            reports.create_report(reports.NewReport(
                kind=form.kind.data, area_id=form.area_id, place=form.place.data or "",
                seen=form.seen.data, details=form.details.data or "",
                activity=form.activity.data or "other", officers=form.officers.data,
                vehicles=form.vehicles.data, agency=form.agency.data or "",
                vehicle_info=form.vehicle_info.data or "", photos=form.photo_bytes()))
        except photos.BadPhoto as exc:
            form.photos.errors = [exc.reason]
        else:
            flash(_("Thank you. Coordinators will check your report before any alert goes "
                    "out."), "success")
            return redirect(url_for("alerts.report"))
    status = 400 if form.is_submitted() else 200
    return render_template("alerts/report.html", form=form,
                           keep_days=retention_days("reports")), status


cleaning.allow_upload("/alerts/report", photos.UPLOAD_LIMIT)


@bp.route("/alerts/check/<int:report_id>", methods=["GET", "POST"])
@access.rule(Level.VETTED)
def check(report_id: int) -> ResponseReturnValue:
    """A responder (asked about this report) or a coordinator says whether it is true."""
    report_row = reports.get(report_id)
    user = current_user._get_current_object()
    # Not asked about it: the same 404 as a report that does not exist.
    if report_row is None or not reports.can_check(report_row, user):
        abort(404)
    form = VerifyForm()
    if form.validate_on_submit():
        try:
            reports.judge(report_row, user, form.outcome.data, form.note.data or "")
        except errors.Conflict as exc:
            flash(exc.reason, "warning")
        else:
            flash(_("Thank you. Your answer is recorded."), "success")
        return redirect(url_for("alerts.check", report_id=report_id))
    audit.viewed("report", report_row.id)
    status = 400 if form.is_submitted() else 200
    return render_template("alerts/check.html", report=report_row, form=form,
                           area=reports.area_of(report_row), topics=TOPICS,
                           seen=labels.SEEN, states=labels.REPORT_STATE_LABELS,
                           photos=photos.of(report_row), activity_labels=kinds.labels(),
                           agencies=kinds.AGENCIES,
                           mine=verification.verdict_of(report_row, user)), status


@bp.route("/alerts/reports/<int:report_id>/photos/<int:photo_id>.jpg")
@access.rule(Level.VETTED)  # and only staff or the responders asked: photos.can_see
def photo(report_id: int, photo_id: int) -> ResponseReturnValue:
    data = photos.open_photo(report_id, photo_id, current_user._get_current_object())
    response = Response(data, mimetype="image/jpeg")
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Content-Disposition"] = "inline"
    return response


@bp.route("/alerts/feed.atom")
@cached("alerts.feed", *SHOWN)
@access.rule(Level.PUBLIC)
def feed() -> ResponseReturnValue:
    alerts = db.session.scalars(service.published_query()).all()
    return Response(feeds.atom_feed(alerts), mimetype="application/atom+xml")


@bp.route("/alerts/<int:alert_id>.cap.xml")
@cached("alerts.cap", *SHOWN)
@access.rule(Level.PUBLIC)  # public, sent alerts only
def cap(alert_id: int) -> ResponseReturnValue:
    alert = db.session.scalar(service.published_query().where(Alert.id == alert_id))
    if alert is None:
        abort(404)
    return Response(feeds.cap_document(alert), mimetype="application/cap+xml")
