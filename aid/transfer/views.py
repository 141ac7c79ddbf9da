"""Import, export and roster pages (thin: the rules live in the modules they call)."""

from __future__ import annotations

from dataclasses import dataclass
from types import ModuleType
from typing import Any

from flask import Response, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from aid import errors
from aid.auth import service as accounts
from aid.extensions import db, limiter
from aid.security import access, audit, passwords
from aid.security.access import Level
from aid.shifts import labels as shift_labels
from aid.shifts import service as shifts
from aid.shifts.models import Shift
from aid.transfer import bp, csvfile, exports, subscriber_import, volunteer_import
from aid.transfer.forms import BAD_FILE, ExportForm, UploadForm, encode, mapping_form
from aid.volunteers.choices import LANGUAGE_LABELS, SKILL_LABELS
from aid.volunteers.service import profiles_for

MIN_REASON = 10


@dataclass(frozen=True)
class Kind:
    name: str
    rules: ModuleType
    template: str


KINDS = {"volunteers": Kind("volunteers", volunteer_import, "transfer/import.html"),
         "subscribers": Kind("subscribers", subscriber_import,
                             "transfer/import.html")}


def _show(kind: Kind, text: str, form: Any = None, plan: Any = None,
          status: int = 200) -> ResponseReturnValue:
    table = csvfile.read(text)
    if form is None:  # just uploaded: a first guess at the mapping, and its dry run
        form = mapping_form(kind.rules.FIELDS, kind.rules.FIELD_LABELS, table.headers,
                            kind.rules.REQUIRED, formdata=None)
        form.csv_b64.data = encode(text)
        guess = kind.rules.guess_mapping(table.headers)
        for name, column in guess.items():
            form[f"col_{name}"].data = column
        if all(name in guess for name in kind.rules.REQUIRED):
            plan = kind.rules.plan(table, form.mapping())
    elif plan is None and not any(form[f"col_{n}"].errors for n in form.fields):
        plan = kind.rules.plan(table, form.mapping())
    if plan is not None:
        form.digest.data = plan.digest
    return render_template(kind.template, form=form, plan=plan, headers=table.headers,
                           rows=len(table.rows), kind=kind.name,
                           language_labels=LANGUAGE_LABELS, skill_labels=SKILL_LABELS), status


def _import(kind: Kind) -> ResponseReturnValue:
    upload = UploadForm()
    if request.method == "GET" or not upload.validate_on_submit():
        return render_template("transfer/upload.html", form=upload, kind=kind.name), (
            400 if request.method == "POST" else 200)
    if "csv_b64" not in request.form:  # the upload itself: read it, guess the mapping
        file = request.files.get("file")
        try:
            text = csvfile.decode(file.read(csvfile.MAX_BYTES + 1) if file else b"")
            return _show(kind, text)
        except csvfile.BadFile as exc:
            upload.file.errors = [BAD_FILE[str(exc)]]
            return render_template("transfer/upload.html", form=upload, kind=kind.name), 400
    return _mapped(kind)


def _mapped(kind: Kind) -> ResponseReturnValue:
    """The mapping, dry-run and import steps: the file comes back inside the form."""
    probe = mapping_form(kind.rules.FIELDS, kind.rules.FIELD_LABELS, [], ())
    text = probe.text()
    if text is None:
        flash(_("The file did not come back whole. Upload it again."), "error")
        return redirect(request.path)
    try:
        table = csvfile.read(text)
    except csvfile.BadFile:
        flash(_("The file did not come back whole. Upload it again."), "error")
        return redirect(request.path)
    form = mapping_form(kind.rules.FIELDS, kind.rules.FIELD_LABELS, table.headers,
                        kind.rules.REQUIRED)
    if not form.validate():
        return _show(kind, text, form, status=400)
    if not form.run.data:
        audit.record(f"{kind.name}.import_dry_run", None, None, f"{len(table.rows)} rows")
        db.session.commit()
        return _show(kind, text, form)
    actor = current_user._get_current_object()
    if kind.name == "volunteers":
        reason = (form.reason.data or "").strip() if form.vetted.data else ""
        if form.vetted.data and len(reason) < MIN_REASON:
            form.reason.errors = [_("Say in a sentence why these people can be trusted.")]
            return _show(kind, text, form, status=400)
        try:
            created = volunteer_import.run(table, form.mapping(), form.digest.data or "",
                                           actor, reason)
        except errors.Conflict as exc:
            flash(exc.reason, "error")
            return _show(kind, text, form, status=409)
        flash(_("%(n)d volunteers imported.", n=len(created)), "success")
        return redirect(url_for("volunteers.applicants",
                                status="vetted" if reason else "applied"))
    try:
        invited = subscriber_import.run(table, form.mapping(), form.digest.data or "", actor)
    except errors.Conflict as exc:
        flash(exc.reason, "error")
        return _show(kind, text, form, status=409)
    flash(_("%(n)d numbers were texted an invitation. Each one gets alerts only after "
            "replying YES.", n=invited), "success")
    return redirect(url_for("transfer.import_subscribers"))


@bp.route("/coordinator/import/volunteers", methods=["GET", "POST"])
@access.rule(Level.COORDINATOR)
@errors.back_to("transfer.import_volunteers")
def import_volunteers() -> ResponseReturnValue:
    return _import(KINDS["volunteers"])


@bp.route("/coordinator/import/subscribers", methods=["GET", "POST"])
@access.rule(Level.COORDINATOR)
@errors.back_to("transfer.import_subscribers")
def import_subscribers() -> ResponseReturnValue:
    return _import(KINDS["subscribers"])


# -- export ---------------------------------------------------------------------------------

def _export_form() -> ExportForm:
    form = ExportForm()
    form.kind.choices = [(k, str(e.label)) for k, e in exports.EXPORTS.items()]
    return form


@bp.route("/admin/export", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
@access.rule(Level.ADMIN)  # personal columns ask for the password and a fresh code again
def export() -> ResponseReturnValue:
    form = _export_form()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        personal = bool(form.personal.data)
        if personal and not passwords.verify_password(user.password_hash,
                                                      form.password.data or ""):
            form.password.errors = [_("That password is not right.")]
            audit.record("export.refused", "user", user.id, "password")
            db.session.commit()
        elif personal and not accounts.step_up(user, form.code.data or ""):
            form.code.errors = [_("That code is not right, or was already used.")]
            audit.record("export.refused", "user", user.id, "code")
            db.session.commit()
        else:
            body = exports.make(form.kind.data, personal, user)
            name = f"aid-{form.kind.data}{'-personal' if personal else ''}.csv"
            return Response(body, mimetype="text/csv", headers={
                "Content-Disposition": f'attachment; filename="{name}"',
                "Cache-Control": "no-store"})
    return render_template("transfer/export.html", form=form), 400 if form.errors else 200


# -- printable roster -----------------------------------------------------------------------

@bp.route("/coordinator/shifts/<int:shift_id>/roster")
@access.rule(Level.COORDINATOR)
def roster(shift_id: int) -> ResponseReturnValue:
    shift = db.get_or_404(Shift, shift_id)
    rows = shifts.roster(shift)
    audit.viewed("shift_roster", shift.id)
    db.session.commit()
    return render_template("transfer/roster.html", shift=shift, rows=rows,
                           profiles=profiles_for([r.user_id for r in rows]),
                           kinds=shift_labels.KIND_LABELS)
