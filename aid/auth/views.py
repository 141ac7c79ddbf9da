"""Sign-in (password, then a one-time code for staff), sign-out and the account page."""

from __future__ import annotations

import time
from typing import Any

from flask import abort, flash, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_user

from aid.auth import bp, duress, service
from aid.auth.forms import (
    ChangePasswordForm,
    CodeForm,
    DuressForm,
    EnrolForm,
    LoginForm,
    SetupForm,
)
from aid.auth.models import User
from aid.auth.sessions import end_session, start_session
from aid.extensions import db, limiter
from aid.forms import ConfirmForm, add_error
from aid.network.service import current_settings
from aid.security import access, passwords, redirects
from aid.security.access import Level
from aid.security.totp import provisioning_uri, qr_svg

PENDING = "pending_login"
PENDING_SECONDS = 300


def safe_next(target: str | None) -> str:
    """Only local paths: an open redirect would make a convincing phishing link."""
    return redirects.local_target(target) or url_for("core.home")


def home_for(user: User) -> str:
    """Where someone lands after signing in: coordinators and admins on their dashboard."""
    return url_for("dashboard.home") if user.level >= Level.COORDINATOR else url_for("core.home")


def _login_limit() -> str:
    from flask import current_app

    return current_app.config["LOGIN_LIMIT"]


def _finish(user: User, next_url: str | None, token: str | None = None) -> ResponseReturnValue:
    under_duress = token is not None and duress.is_duress_token(user, token)
    if under_duress:
        duress.mark(user)
    start_session(user)
    if under_duress:
        duress.finish(user)
    return redirect(redirects.local_target(next_url) or home_for(user))


def _pending_user() -> tuple[User, dict[str, Any]]:
    pending = session.get(PENDING)
    if not pending or time.time() - pending["at"] > PENDING_SECONDS:
        session.pop(PENDING, None)
        flash(_("Please sign in again."), "warning")
        abort(redirect(url_for("auth.login")))
    user = db.session.get(User, pending["uid"])
    if user is None or not (user.is_active and user.session_token == pending["token"]
                            or duress.is_duress_token(user, pending["token"])):
        session.pop(PENDING, None)
        abort(redirect(url_for("auth.login")))
    return user, pending


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
@access.rule(Level.PUBLIC)
def login() -> ResponseReturnValue:
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    form = LoginForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        step = service.check_password(form.email.data or "", form.password.data or "")
        if step.result is service.LoginResult.LOCKED:
            add_error(form.password, _(
                "Too many attempts. Wait %(n)d minutes and try again, or ask an admin.",
                n=service.lock_minutes()))
        elif step.result is service.LoginResult.BAD or step.user is None:
            add_error(form.password, _("That email and password do not match an account."))
        elif not step.user.needs_totp:
            return _finish(step.user, form.next.data)
        else:
            user = step.user
            token = duress.begin(user) if step.duress else user.session_token
            session.clear()
            session[PENDING] = {"uid": user.id, "token": token, "at": time.time(),
                                "email": form.email.data, "next": form.next.data}
            if user.totp_confirmed:
                return redirect(url_for("auth.totp"))
            return redirect(url_for("auth.totp_setup"))
    return render_template("auth/login.html", form=form)


@bp.route("/login/code", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
@access.rule(Level.PUBLIC)  # only meaningful with a pending password step in the session
def totp() -> ResponseReturnValue:
    user, pending = _pending_user()
    if not user.totp_confirmed:
        return redirect(url_for("auth.totp_setup"))
    form = CodeForm()
    if form.validate_on_submit():
        result = service.check_second_factor(user, form.code.data or "", pending["email"])
        if result is service.LoginResult.OK:
            return _finish(user, pending.get("next"), pending["token"])
        if result is service.LoginResult.LOCKED:
            add_error(form.code, _("Too many attempts. Wait %(n)d minutes and try again.",
                                   n=service.lock_minutes()))
        else:
            add_error(form.code, _("That code is not right, or was already used."))
    return render_template("auth/totp.html", form=form)


@bp.route("/login/enrol", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
@access.rule(Level.PUBLIC)
def totp_setup() -> ResponseReturnValue:
    """Staff must turn on a second factor before their first sign-in completes."""
    user, pending = _pending_user()
    if user.totp_confirmed:
        return redirect(url_for("auth.totp"))
    secret = service.begin_totp(user)
    uri = provisioning_uri(secret, user.email, current_settings().network_name)
    form = EnrolForm()
    if form.validate_on_submit():
        codes = service.confirm_totp(user, form.code.data or "")
        if codes is not None:
            response = _finish(user, pending.get("next"))
            return render_template("auth/recovery_codes.html", codes=codes,
                                   next_url=response.location)  # type: ignore[union-attr]
        add_error(form.code, _("That code is not right. Check the time on your phone."))
    return render_template("auth/enrol.html", form=form, qr=qr_svg(uri), secret=secret)


@bp.route("/logout", methods=["POST"])
@access.rule(Level.APPLIED)
def logout() -> ResponseReturnValue:
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    end_session()
    flash(_("You are signed out."), "info")
    return redirect(url_for("core.home"))


def _account_page(status: int = 200, **forms: Any) -> ResponseReturnValue:
    forms.setdefault("password_form", ChangePasswordForm(formdata=None))
    forms.setdefault("duress_form", DuressForm(prefix="duress", formdata=None))
    # Under duress the page shows no duress password, as if none were set.
    has_duress = bool(current_user.duress_password_hash) and not duress.active()
    return render_template("auth/account.html", confirm=ConfirmForm(), has_duress=has_duress,
                           codes_left=len(current_user.recovery_codes), **forms), status


@bp.route("/account")
@access.rule(Level.APPLIED)
def account() -> ResponseReturnValue:
    return _account_page()


@bp.route("/account/duress", methods=["POST"])
@access.rule(Level.COORDINATOR)  # staff only: they are the ones coerced
def duress_password() -> ResponseReturnValue:
    user = current_user._get_current_object()
    if request.form.get("action") == "clear" and ConfirmForm().validate_on_submit():
        duress.set_duress_password(user, None, lock=False)
        flash(_("Duress password removed."), "success")
        return redirect(url_for("auth.account"))
    form = DuressForm(prefix="duress")
    if form.validate_on_submit():
        if not passwords.verify_password(user.password_hash, form.current.data or ""):
            add_error(form.current, _("Your current password is not right."))
        else:
            try:
                duress.set_duress_password(user, form.password.data, form.lock.data)
            except duress.DuressError as exc:
                add_error(form.password, str(exc))
            else:
                flash(_("Duress password set. Practise it once with another coordinator."),
                      "success")
                return redirect(url_for("auth.account"))
    return _account_page(400, duress_form=form)


@bp.route("/account/password", methods=["POST"])
@access.rule(Level.APPLIED)
def change_password() -> ResponseReturnValue:
    form = ChangePasswordForm()
    if form.validate_on_submit():
        if not passwords.verify_password(current_user.password_hash, form.current.data or ""):
            add_error(form.current, _("Your current password is not right."))
        else:
            user = current_user._get_current_object()
            service.set_password(user, form.password.data or "")
            login_user(user)  # this session stays; every other one ends
            flash(_("Password changed. You are signed out everywhere else."), "success")
            return redirect(url_for("auth.account"))
    return _account_page(400, password_form=form)


@bp.route("/account/sessions", methods=["POST"])
@access.rule(Level.APPLIED)
def end_sessions() -> ResponseReturnValue:
    if not ConfirmForm().validate_on_submit():
        abort(400)
    user = current_user._get_current_object()
    service.end_sessions(user)
    login_user(user)
    flash(_("Every other session of your account has ended."), "success")
    return redirect(url_for("auth.account"))


@bp.route("/account/recovery-codes", methods=["POST"])
@access.rule(Level.COORDINATOR)
def recovery_codes() -> ResponseReturnValue:
    if not ConfirmForm().validate_on_submit():
        abort(400)
    codes = service.replace_recovery_codes(current_user._get_current_object())
    return render_template("auth/recovery_codes.html", codes=codes,
                           next_url=url_for("auth.account"))


@bp.route("/setup/<token>", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
@access.rule(Level.PUBLIC)  # guarded by a one-time token
def setup_account(token: str) -> ResponseReturnValue:
    user = service.user_for_setup_token(token)
    if user is None:
        abort(404)
    form = SetupForm()
    if form.validate_on_submit():
        service.use_setup_token(token, form.password.data or "")
        flash(_("Your password is set. Sign in to continue."), "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/setup.html", form=form)
