"""An account's own data: download it, or delete the account (with what its owner wrote)."""

from __future__ import annotations

from flask import flash, redirect, render_template, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, logout_user

from aid.auth import bp
from aid.auth.forms import PasswordCheckForm
from aid.auth.models import User
from aid.auth.privacy import last_admin
from aid.extensions import db, limiter
from aid.forms import add_error
from aid.privacy import owndata, registry
from aid.security import access, passwords
from aid.security.access import Level


@bp.route("/my/data", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"])
@access.rule(Level.APPLIED)
def my_data() -> ResponseReturnValue:
    form = PasswordCheckForm()
    user = db.session.get_one(User, current_user.id)
    blocked = last_admin(user)
    if form.validate_on_submit() and not blocked:
        if not passwords.verify_password(user.password_hash, form.password.data or ""):
            add_error(form.password, _("That password is not right."))
        else:
            owndata.forget(registry.ACCOUNT, user, reason="self")
            logout_user()
            session.clear()
            flash(_("Your account and what you wrote are deleted. Thank you for your work."),
                  "success")
            return redirect(url_for("core.home"))
    return render_template("auth/my_data.html", form=form, blocked=blocked), \
        400 if form.errors else 200


@bp.route("/my/data.json")
@access.rule(Level.APPLIED)
def my_data_download() -> ResponseReturnValue:
    user = db.session.get(User, current_user.id)
    return owndata.download(owndata.export(registry.ACCOUNT, user), "my-data.json")
