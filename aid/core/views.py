"""The home page, the health check and the language switch."""

from __future__ import annotations

from flask import jsonify, redirect, render_template, request, session
from flask.typing import ResponseReturnValue
from flask_login import current_user

from aid.auth.views import safe_next
from aid.core import bp
from aid.core.service import worker_is_alive, worker_last_seen
from aid.extensions import db
from aid.forms import ConfirmForm
from aid.network.service import current_settings
from aid.security import access
from aid.security.access import Level, user_level


@bp.route("/")
@access.rule(Level.PUBLIC)
def home() -> ResponseReturnValue:
    staff = user_level() >= Level.COORDINATOR
    return render_template(
        "core/home.html", settings=current_settings(),
        worker_seen=worker_last_seen() if staff else None,
        worker_alive=worker_is_alive() if staff else None,
    )


@bp.route("/healthz")
@access.rule(Level.PUBLIC)
def healthz() -> ResponseReturnValue:
    db.session.execute(db.select(1))
    return jsonify(status="ok")


@bp.route("/language", methods=["POST"])
@access.rule(Level.PUBLIC)
def set_language() -> ResponseReturnValue:
    """A form with one button per language: works without JavaScript, and is a POST."""
    form = ConfirmForm()
    code = request.form.get("lang", "")
    if form.validate_on_submit() and code in current_settings().language_list:
        session["locale"] = code
        if current_user.is_authenticated and current_user.locale != code:
            current_user.locale = code
            db.session.commit()
    return redirect(safe_next(request.form.get("next")))
