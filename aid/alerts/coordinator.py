"""Coordinator pages: reports (list, detail, dispatch, verify, from a hotline request) and
alerts (archive, compose with preview, the alert's page with approval and progress)."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from aid import errors
from aid.alerts import bp, corrections, kinds, labels, photos, reports, service, verification
from aid.alerts.forms import (
    ComposeForm,
    FromRequestForm,
    KindForm,
    MergeForm,
    VerifyForm,
    compose_form,
    correct_form,
)
from aid.alerts.models import Alert, AlertState, Report
from aid.auth.models import User
from aid.extensions import db
from aid.forms import ConfirmForm
from aid.hotline import request_page
from aid.hotline.models import HelpRequest
from aid.network.service import LANGUAGE_LABELS, all_areas
from aid.pagination import paginate
from aid.sections import Values
from aid.security import access, audit
from aid.security.access import Level
from aid.security.numbers import bounded_int
from aid.sms.subscriptions import TOPICS


@bp.context_processor
def _labels() -> dict[str, Any]:
    return {"topic_labels": TOPICS, "report_states": labels.REPORT_STATE_LABELS,
            "seen_labels": labels.SEEN, "alert_states": labels.STATE_LABELS,
            "severity_labels": labels.SEVERITY, "urgency_labels": labels.URGENCY,
            "certainty_labels": labels.CERTAINTY, "language_names": LANGUAGE_LABELS,
            "kind_labels": labels.KIND_LABELS, "verdict_labels": labels.VERDICT_LABELS}


def _me() -> User:
    return current_user._get_current_object()


def _report(report_id: int) -> Report:
    row = reports.get(report_id)
    if row is None:
        abort(404)
    return row


def _alert(alert_id: int) -> Alert:
    row = db.session.get(Alert, alert_id)
    if row is None:
        abort(404)
    return row


# -- reports ------------------------------------------------------------------------------

@bp.route("/coordinator/reports")
@access.rule(Level.COORDINATOR)
def reports_list() -> ResponseReturnValue:
    open_only = request.args.get("state") == "open"
    page = paginate(reports.reports_query(open_only))
    areas = {a.id: a.name for a in all_areas()}
    return render_template("alerts/reports.html", page=page, areas=areas, open_only=open_only)


@bp.route("/coordinator/reports/<int:report_id>")
@access.rule(Level.COORDINATOR)
def report_detail(report_id: int, form: VerifyForm | None = None,
                  code: int = 200) -> ResponseReturnValue:
    row = _report(report_id)
    verification.refresh_expiry(row)
    audit.viewed("report", row.id)
    responders = reports.responders_for(row)
    asked = reports.dispatched_ids(row)
    verdicts = verification.verdicts(row)
    people = service.people([row.verified_by_id, row.created_by_id,
                             *(v.user_id for v in verdicts)])
    near = verification.near(row)
    merge_form = MergeForm()
    merge_form.into.choices = [(str(r.id), f"#{r.id} · {labels.REPORT_STATE_LABELS[r.status]}")
                               for r in near]
    return render_template("alerts/report_detail.html", report=row, form=form or VerifyForm(),
                           area=reports.area_of(row), responders=responders, asked=asked,
                           people=people, verdicts=verdicts, photos=photos.of(row),
                           near=near, merge_form=merge_form, needed=verification.needed(),
                           tally=verification.tally(row), activity_labels=kinds.labels(),
                           agencies=kinds.AGENCIES), code


@bp.route("/coordinator/reports/<int:report_id>/dispatch", methods=["POST"])
@access.rule(Level.COORDINATOR)
def dispatch(report_id: int) -> ResponseReturnValue:
    row = _report(report_id)
    if not reports.is_open(row):
        flash(_("This report is already settled."), "warning")
    else:
        count = reports.dispatch(row, _me())
        flash(_("Texted %(n)d responders.", n=count) if count else
              _("No responder left to text for this area."), "success" if count else "warning")
    return redirect(url_for("alerts.report_detail", report_id=report_id))


@bp.route("/coordinator/reports/<int:report_id>/verify", methods=["POST"])
@access.rule(Level.COORDINATOR)
@errors.back_to("alerts.report_detail")
def verify(report_id: int) -> ResponseReturnValue:
    row = _report(report_id)
    form = VerifyForm()
    if not form.validate_on_submit():
        return report_detail(report_id, form=form, code=400)
    reports.judge(row, _me(), form.outcome.data, form.note.data or "")
    flash(_("The report is marked %(state)s.", state=labels.REPORT_STATE_LABELS[row.status]),
          "success")
    return redirect(url_for("alerts.report_detail", report_id=report_id))


@bp.route("/coordinator/reports/<int:report_id>/merge", methods=["POST"])
@access.rule(Level.COORDINATOR)
@errors.back_to("alerts.report_detail")
def merge(report_id: int) -> ResponseReturnValue:
    """This report is the same event as a near one: it goes into that one."""
    row = _report(report_id)
    form = MergeForm()
    form.into.choices = [(str(r.id), str(r.id)) for r in verification.near(row)]
    if not form.validate_on_submit():
        flash(_("Choose the report it is the same event as."), "error")
        return redirect(url_for("alerts.report_detail", report_id=report_id))
    into = verification.merge(row, _report(int(form.into.data)), _me())
    flash(_("Merged into report #%(id)d.", id=into.id), "success")
    return redirect(url_for("alerts.report_detail", report_id=into.id))


@bp.route("/admin/report-kinds", methods=["GET", "POST"])
@access.rule(Level.ADMIN)
def report_kinds() -> ResponseReturnValue:
    """The list of kinds of activity reports name (the public form and the text exchange)."""
    form = KindForm()
    if form.validate_on_submit():
        try:
            kinds.add_kind(form.name.data or "", form.name_es.data or "", form.topic.data)
        except errors.Invalid as exc:
            form.name.errors = [exc.reason]
        else:
            flash(_("Kind added."), "success")
            return redirect(url_for("alerts.report_kinds"))
    code = 400 if form.is_submitted() else 200
    return render_template("alerts/kinds.html", form=form, kinds=kinds.all_kinds(),
                           confirm=ConfirmForm()), code


@bp.route("/admin/report-kinds/<int:kind_id>/toggle", methods=["POST"])
@access.rule(Level.ADMIN)
def report_kind_toggle(kind_id: int) -> ResponseReturnValue:
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        kinds.toggle_kind(kind_id)
    except errors.Invalid:
        abort(404)
    return redirect(url_for("alerts.report_kinds"))


@request_page.sections.add("alerts/_from_request.html")
def _report_from_this(req: HelpRequest) -> Values:
    return {"report_form": FromRequestForm(formdata=None), "request_id": req.id}


@bp.route("/coordinator/requests/<int:request_id>/report", methods=["POST"])
@access.rule(Level.COORDINATOR)
def report_from_request(request_id: int) -> ResponseReturnValue:
    form = FromRequestForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        row = reports.from_hotline(request_id, form.kind.data, _me())
    except LookupError:
        abort(404)
    flash(_("Report created from the request. Check it before any alert goes out."),
          "success")
    return redirect(url_for("alerts.report_detail", report_id=row.id))


# -- alerts --------------------------------------------------------------------------------

@bp.route("/coordinator/alerts")
@access.rule(Level.COORDINATOR)
def alerts_list() -> ResponseReturnValue:
    status = request.args.get("status", "")
    page = paginate(service.alerts_query(status))
    return render_template("alerts/list.html", page=page,
                           status=status if status in labels.STATE_LABELS else "")


def _compose_page(form: ComposeForm, code: int = 200,
                  preview: service.Preview | None = None,
                  error: str | None = None) -> ResponseReturnValue:
    return render_template("alerts/compose.html", form=form, preview=preview,
                           basis_error=error), code


@bp.route("/coordinator/alerts/new", methods=["GET", "POST"])
@access.rule(Level.COORDINATOR)
def compose() -> ResponseReturnValue:
    form = compose_form()
    if request.method == "GET":
        form.public.data = False  # publishing for anyone to read is a choice, never a default
        report_id = request.args.get("report", "")
        if bounded_int(report_id) is not None and any(
                c[0] == report_id for c in form.basis_report.iter_choices()):
            form.basis_report.data = report_id
            row = reports.get(int(report_id))
            if row is not None:
                form.topics.data = [row.kind]
                form.areas.data = [row.area_id] if row.area_id else []
        return _compose_page(form)
    if not form.validate_on_submit():
        return _compose_page(form, 400)
    draft = form.draft()
    error = service.basis_error(draft)
    bodies = service.stamped(draft.bodies, None if error else service.draft_level(draft))
    result = service.preview(bodies, draft.link, draft.area_ids, draft.topics)
    if error or form.preview.data:
        return _compose_page(form, 400 if error else 200, result, error)
    alert = service.create_draft(draft, _me())
    flash(_("Draft saved. Check the preview, then send it."), "success")
    return redirect(url_for("alerts.alert_detail", alert_id=alert.id))


@bp.route("/coordinator/alerts/<int:alert_id>")
@access.rule(Level.COORDINATOR)
def alert_detail(alert_id: int) -> ResponseReturnValue:
    alert = _alert(alert_id)
    sending = alert.status in (AlertState.SENDING, AlertState.SENT) or alert.recipients
    progress = service.progress(alert) if sending else None
    preview = None if progress else service.preview_alert(alert)
    people = service.people([alert.author_id, alert.approver_id])
    return render_template("alerts/detail.html", alert=alert, preview=preview,
                           progress=progress, people=people, me=_me(),
                           can_correct=corrections.can_correct(alert),
                           report=reports.get(alert.report_id) if alert.report_id else None)


@bp.route("/coordinator/alerts/<int:alert_id>/progress.json")
@access.rule(Level.COORDINATOR)  # the same counts as the page, as JSON
def alert_progress(alert_id: int) -> ResponseReturnValue:
    """The progress section's numbers, polled by static/alerts-progress.js while sending
    (without JavaScript the page itself shows the same on reload)."""
    alert = _alert(alert_id)
    data = service.progress_data(alert)
    # Every text handed over is "Sent" to the reader, as on the page, before the worker
    # closes the alert.
    handed_over = alert.status == AlertState.SENDING and data["percent"] >= 100
    data["status_label"] = str(labels.STATE_LABELS[AlertState.SENT if handed_over
                                                   else alert.status])
    return jsonify(data)


def _act(alert_id: int, action: str) -> ResponseReturnValue:
    alert = _alert(alert_id)
    if action == "submit":
        state = service.submit(alert, _me())
        flash(_("Sending now.") if state == AlertState.SENDING else
              _("This alert goes to more than %(n)d people: another coordinator has to "
                "approve it.", n=service.threshold()), "success")
    elif action == "approve":
        service.approve(alert, _me())
        flash(_("Approved. Sending now."), "success")
    else:
        stopped = service.cancel(alert, _me())
        flash(_("Cancelled. %(n)d texts will not go out.", n=stopped), "success")
    return redirect(url_for("alerts.alert_detail", alert_id=alert_id))


@bp.route("/coordinator/alerts/<int:alert_id>/submit", methods=["POST"])
@access.rule(Level.COORDINATOR)
@errors.back_to("alerts.alert_detail")
def submit(alert_id: int) -> ResponseReturnValue:
    return _act(alert_id, "submit")


@bp.route("/coordinator/alerts/<int:alert_id>/approve", methods=["POST"])
@access.rule(Level.COORDINATOR)  # never the author: aid.alerts.service.approve
@errors.back_to("alerts.alert_detail")
def approve(alert_id: int) -> ResponseReturnValue:
    return _act(alert_id, "approve")


@bp.route("/coordinator/alerts/<int:alert_id>/cancel", methods=["POST"])
@access.rule(Level.COORDINATOR)
@errors.back_to("alerts.alert_detail")
def cancel(alert_id: int) -> ResponseReturnValue:
    return _act(alert_id, "cancel")


@bp.route("/coordinator/alerts/<int:alert_id>/correct", methods=["GET", "POST"])
@access.rule(Level.COORDINATOR)
def correct(alert_id: int) -> ResponseReturnValue:
    original = _alert(alert_id)
    if not corrections.can_correct(original):
        flash(_("Only an alert that went out can be updated or retracted."), "error")
        return redirect(url_for("alerts.alert_detail", alert_id=alert_id))
    form = correct_form([b.language for b in original.bodies])
    if request.method == "POST" and form.validate_on_submit():
        bodies = {code: f.data or "" for code, f in form.body_fields()}
        try:
            alert = corrections.create(original, form.kind.data, bodies, _me())
        except corrections.NotCorrectable as exc:
            flash(exc.reason, "error")
        else:
            flash(_("Draft saved. It goes only to the people who received alert #%(id)d.",
                    id=original.id), "success")
            return redirect(url_for("alerts.alert_detail", alert_id=alert.id))
    code = 400 if request.method == "POST" else 200
    return render_template("alerts/correct.html", form=form, original=original), code
