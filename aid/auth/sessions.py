"""Starting and ending a signed-in session, the same way everywhere."""

from __future__ import annotations

import time

from flask import flash, session
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from aid.auth.models import User


def reset_session() -> None:
    """Forget everything in the session except the chosen language."""
    locale = session.get("locale")
    session.clear()
    if locale:
        session["locale"] = locale


def start_session(user: User) -> None:
    """A new session at sign-in: nothing from before (a planted cookie) carries over."""
    from aid.auth.service import signed_in, signup_attempts_since

    previous = user.last_login_at
    reset_session()
    session.permanent = True
    login_user(user)
    session["login_at"] = time.time()
    signed_in(user)
    if signup_attempts_since(user, previous):
        flash(_("Someone used your email address on the volunteer sign-up form since you last "
                "signed in. If it was not you, tell a coordinator; your account is unchanged."),
              "warning")


def end_session() -> None:
    """Sign out: the account's server-side session token is replaced, so a copy of this
    cookie (a shared computer, a seized browser, a proxy log) opens nothing afterwards.
    Other devices signed in to the account are signed out too."""
    from aid.auth.service import end_sessions

    if current_user.is_authenticated:
        end_sessions(current_user._get_current_object(), action="auth.logout")
    logout_user()
    reset_session()
