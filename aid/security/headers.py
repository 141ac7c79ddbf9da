"""Response headers set by the app itself (so tests can see them), and session time limits."""

from __future__ import annotations

import time

from flask import Flask, Response, current_app, flash, redirect, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from aid.security.sessions import end_session

CSP = (
    "default-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'; img-src 'self' data:; script-src 'self'; style-src 'self'"
)


def set_headers(response: Response) -> Response:
    response.headers["Content-Security-Policy"] = CSP
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
    response.headers["Cross-Origin-Opener-Policy"] = "same-origin"
    if request.endpoint != "static":
        # Pages may show personal data: a shared or seized phone must not keep copies.
        response.headers["Cache-Control"] = "no-store"
        response.headers["Pragma"] = "no-cache"
    if current_app.config["PREFERRED_URL_SCHEME"] == "https":
        response.headers["Strict-Transport-Security"] = "max-age=63072000; includeSubDomains"
    return response


def expire_sessions() -> ResponseReturnValue | None:
    """Idle and absolute limits on a signed-in session."""
    if not current_user.is_authenticated:
        return None
    now = time.time()
    cfg = current_app.config
    login_at = session.get("login_at", 0)
    seen = session.get("seen", login_at)
    if (now - login_at > cfg["SESSION_MAX_HOURS"] * 3600
            or now - seen > cfg["SESSION_IDLE_MINUTES"] * 60):
        end_session()
        flash(_("Your session ended. Please sign in again."), "warning")
        return redirect(url_for("auth.login"))
    session["seen"] = now
    return None


def init_app(app: Flask) -> None:
    from datetime import timedelta

    app.permanent_session_lifetime = timedelta(minutes=app.config["SESSION_IDLE_MINUTES"])
    app.before_request(expire_sessions)
    app.after_request(set_headers)
