"""The phone tree pages: the admin's download, and each person's opt-in on their page."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from aid import errors
from aid.auth import service as accounts
from aid.backup import bp, phonetree
from aid.backup.forms import PhoneTreeDownloadForm, ProceduresForm
from aid.extensions import db, limiter
from aid.forms import ConfirmForm, add_error
from aid.security import access, audit, passwords
from aid.security.access import Level


def _page(form: PhoneTreeDownloadForm, procedures: ProceduresForm,
          status: int = 200) -> ResponseReturnValue:
    entries = phonetree.entries()
    audit.record("phone_tree.viewed", None, None, f"{len(entries)} entries")
    db.session.commit()
    return render_template("backup/phone_tree.html", form=form, procedures_form=procedures,
                           entries=entries, copies=phonetree.copies(),
                           last_made=phonetree.last_made()), status


@bp.route("/admin/phone-tree", methods=["GET", "POST"])
@limiter.limit("5 per minute", methods=["POST"])
@access.rule(Level.ADMIN)  # the download asks for the password and a fresh code again
def phone_tree() -> ResponseReturnValue:
    form = PhoneTreeDownloadForm()
    procedures = ProceduresForm(procedures=phonetree.settings().procedures)
    if form.validate_on_submit():
        user = current_user._get_current_object()
        if not passwords.verify_password(user.password_hash, form.password.data or ""):
            add_error(form.password, _("That password is not right."))
            audit.record("phone_tree.refused", "user", user.id, "password")
            db.session.commit()
        elif not accounts.step_up(user, form.code.data or ""):
            add_error(form.code, _("That code is not right, or was already used."))
            audit.record("phone_tree.refused", "user", user.id, "code")
            db.session.commit()
        else:
            data, name = phonetree.make_copy(user, form.fmt.data, form.passphrase.data or "")
            return Response(data, mimetype="application/octet-stream", headers={
                "Content-Disposition": f'attachment; filename="{name}"',
                "Cache-Control": "no-store"})
    return _page(form, procedures, 400 if form.errors else 200)


@bp.route("/admin/phone-tree/procedures", methods=["POST"])
@access.rule(Level.ADMIN)
def phone_tree_procedures() -> ResponseReturnValue:
    form = ProceduresForm()
    if not form.validate_on_submit():
        abort(400)
    phonetree.save_procedures(form.procedures.data or "", current_user.id)
    flash(_("Procedures saved. Make a new copy of the phone tree so it carries them."),
          "success")
    return redirect(url_for("backup.phone_tree"))


@bp.route("/my/phone-tree", methods=["POST"])
@access.rule(Level.VETTED)  # staff and responders (checked in the service)
@errors.back_to("volunteers.my_page")
def phone_tree_opt_in() -> ResponseReturnValue:
    if not ConfirmForm().validate_on_submit():
        abort(400)
    user = current_user._get_current_object()
    phonetree.set_opt_in(user, request.form.get("action") == "join")
    flash(_("You are on the phone tree.") if request.form.get("action") == "join"
          else _("You are off the phone tree. Copies already made still list you."), "success")
    return redirect(url_for("volunteers.my_page"))


@bp.app_context_processor
def _phone_tree_globals() -> dict:
    """For other pages without importing this feature: the admin dashboard's monthly reminder,
    the emergency erase's list of copies, and the opt-in on /my."""
    return {"phone_tree": phonetree}
