"""Admin pages: network settings, areas, staff accounts, the audit log."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import load_only

from aid.admin import bp, rotation
from aid.admin.forms import TIMEZONES, AreaForm, NewUserForm, SettingsForm, UserUpdateForm
from aid.auth import service as accounts
from aid.auth.models import Role, Status, User
from aid.extensions import db
from aid.forms import ConfirmForm, add_error
from aid.network import service
from aid.network.models import Area
from aid.pagination import keyset_paginate, page_number
from aid.security import access, audit, codes
from aid.security.access import Level


@bp.route("")
@access.rule(Level.ADMIN)
def index() -> ResponseReturnValue:
    links = [
        ("admin.settings", _("Network settings"),
         _("Name, hotline number, languages, phone region, code of conduct.")),
        ("admin.areas", _("Areas"), _("The neighbourhoods everything is placed in.")),
        ("admin.users", _("Accounts"), _("Staff accounts, roles, suspensions, set-up links.")),
        ("admin.audit_log", _("Audit log"), _("Who opened or changed what, and when.")),
        ("admin.audit_unusual", _("Unusual access"),
         _("People who opened many private records this week.")),
        ("privacy.retention", _("Retention"), _("How long each kind of record is kept.")),
        ("privacy.wipe_page", _("Emergency erase"),
         _("Erase all personal data at once, or one area's, keeping only counts.")),
        ("sms.outbox", _("Outbox"), _("Every text message sent, and what became of it.")),
        ("alerts.report_kinds", _("Kinds of report"),
         _("What people can say is happening when they report: checkpoint, home raid...")),
        ("admin.rotation_page", _("Key rotation"),
         _("Re-encrypt everything under a new key, and see when the old one can go.")),
        ("transfer.export", _("Export to a spreadsheet"),
         _("Requests, volunteers, shifts and rosters as CSV files.")),
    ]
    return render_template("admin/index.html", links=links, codes_paused=codes.budget_notice())


@bp.route("/settings", methods=["GET", "POST"])
@access.rule(Level.ADMIN)
def settings() -> ResponseReturnValue:
    row = service.current_settings()
    form = SettingsForm(obj=row if request.method == "GET" else None)
    if request.method == "GET":
        form.languages.data = row.language_list
    if request.method == "GET" or not form.timezone.raw_data:  # a form without it keeps it
        form.timezone.data = row.timezone or current_app.config["TIMEZONE"]
    if form.timezone.data and form.timezone.data not in dict(TIMEZONES):
        form.timezone.choices = [(form.timezone.data, form.timezone.data),
                                 *TIMEZONES]  # set by AID_TIMEZONE
    if form.validate_on_submit():
        service.save_settings(
            network_name=(form.network_name.data or "").strip(),
            # A form without the number keeps it (an empty one clears it).
            hotline_number=row.hotline_number if form.hotline_number.data is None
            else form.hotline_number.data,
            default_region=form.default_region.data, languages=",".join(form.languages.data or []),
            code_of_conduct=(form.code_of_conduct.data or "").strip(),
            code_countries=form.code_countries.data or "", surge=bool(form.surge.data),
            code_of_conduct_es=(form.code_of_conduct_es.data or "").strip(),
            timezone=form.timezone.data,
            verifiers_needed=row.verifiers_needed if form.verifiers_needed.data is None
            else form.verifiers_needed.data,
            report_hours=row.report_hours if form.report_hours.data is None
            else form.report_hours.data,
            merge_minutes=row.merge_minutes if form.merge_minutes.data is None
            else form.merge_minutes.data,
        )
        flash(_("Settings saved."), "success")
        return redirect(url_for("admin.settings"))
    return render_template("admin/settings.html", form=form)


@bp.route("/areas", methods=["GET", "POST"])
@access.rule(Level.ADMIN)
def areas() -> ResponseReturnValue:
    form = AreaForm()
    if form.validate_on_submit():
        try:
            service.add_area(form.name.data or "")
        except ValueError:
            add_error(form.name, _("There is already an area with this name."))
        else:
            flash(_("Area added."), "success")
            return redirect(url_for("admin.areas"))
    return render_template("admin/areas.html", form=form, areas=service.all_areas(),
                           confirm=ConfirmForm())


@bp.route("/areas/<int:area_id>/toggle", methods=["POST"])
@access.rule(Level.ADMIN)
def area_toggle(area_id: int) -> ResponseReturnValue:
    area = db.get_or_404(Area, area_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    service.toggle_area(area)
    return redirect(url_for("admin.areas"))


@bp.route("/users")
@access.rule(Level.ADMIN)
def users() -> ResponseReturnValue:
    role = request.args.get("role", "")
    # Only what the list shows: nobody's e-mail or TOTP secret is decrypted to fill it.
    query = select(User).options(load_only(User.id, User.display_name, User.role, User.status,
                                           User.last_login_at, User.created_at))
    if role in {r.value for r in Role}:
        query = query.where(User.role == role)
    # Recorded before the query: a commit afterwards would expire every row on the page,
    # and each would be read again, one statement a row.
    audit.record("user.list_viewed", "user", None, f"page {page_number()}")
    db.session.commit()
    # Newest first by keyset links (ix_users_created_order, ix_users_role_created_order).
    page = keyset_paginate(query, (User.created_at, User.id))
    return render_template("admin/users.html", page=page, role=role, roles=list(Role))


@bp.route("/users/new", methods=["GET", "POST"])
@access.rule(Level.ADMIN)
def user_new() -> ResponseReturnValue:
    form = NewUserForm()
    if form.validate_on_submit():
        try:
            user = accounts.create_user(form.email.data or "", form.display_name.data or "",
                                        form.role.data)
        except ValueError:
            add_error(form.email, _("An account with this email already exists."))
        else:
            token = accounts.new_setup_token(user)
            link = url_for("auth.setup_account", token=token, _external=True)
            return render_template("admin/setup_link.html", user=user, link=link)
    return render_template("admin/user_new.html", form=form)


@bp.route("/users/<int:user_id>")
@access.rule(Level.ADMIN)
def user_detail(user_id: int) -> ResponseReturnValue:
    user = db.get_or_404(User, user_id)
    audit.viewed("user", user.id)
    form = UserUpdateForm(role=user.role, status=user.status)
    return render_template("admin/user_detail.html", user=user, form=form, confirm=ConfirmForm())


@bp.route("/users/<int:user_id>", methods=["POST"])
@access.rule(Level.ADMIN)
def user_update(user_id: int) -> ResponseReturnValue:
    user = db.get_or_404(User, user_id)
    action = request.form.get("action", "update")
    if action == "unlock" and ConfirmForm().validate_on_submit():
        accounts.unlock(user)
        flash(_("Sign-in attempts reset."), "success")
        return redirect(url_for("admin.user_detail", user_id=user.id))
    if action == "reset_totp" and ConfirmForm().validate_on_submit():
        accounts.reset_second_factor(user)
        flash(_("Sign-in codes reset: they set up a new authenticator at their next sign-in."),
              "success")
        return redirect(url_for("admin.user_detail", user_id=user.id))
    if action == "setup_link" and ConfirmForm().validate_on_submit():
        token = accounts.new_setup_token(user)
        link = url_for("auth.setup_account", token=token, _external=True)
        return render_template("admin/setup_link.html", user=user, link=link)
    form = UserUpdateForm()
    if not form.validate_on_submit():
        return render_template("admin/user_detail.html", user=user, form=form,
                               confirm=ConfirmForm()), 400
    if user.id == current_user.id and (form.role.data != user.role
                                       or form.status.data != user.status):
        flash(_("You cannot change your own role or status. Ask another admin."), "error")
        return redirect(url_for("admin.user_detail", user_id=user.id))
    accounts.set_role(user, Role(form.role.data))
    accounts.set_status(user, Status(form.status.data))
    flash(_("Account updated."), "success")
    return redirect(url_for("admin.user_detail", user_id=user.id))


@bp.route("/rotation")
@access.rule(Level.ADMIN)
def rotation_page() -> ResponseReturnValue:
    run = rotation.latest()
    return render_template("admin/rotation.html", run=run, keys=rotation.key_status(),
                           tables=rotation.per_table(run) if run else [],
                           active=bool(run and run.status in rotation.ACTIVE))


@bp.route("/rotation", methods=["POST"])
@access.rule(Level.ADMIN)
def rotation_start() -> ResponseReturnValue:
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if not rotation.key_status()["ready"]:
        flash(_("Add the new key first, then restart Aid."), "error")
        return redirect(url_for("admin.rotation_page"))
    try:
        rotation.start(current_user.id)
    except rotation.RotationBusy:
        flash(_("A rotation is already under way."), "error")
    else:
        flash(_("Rotation started. The worker does it in the background."), "success")
    return redirect(url_for("admin.rotation_page"))
