"""Starting and ending a signed-in session, the same way everywhere."""

from __future__ import annotations

import time

from flask import flash, session
from flask_babel import gettext as _
from flask_login import current_user, login_user

from aid.auth.models import User
from aid.auth.service import end_sessions, signed_in, signup_attempts_since
from aid.security import sessions as web_session
from aid.security.sessions import reset_session

__all__ = ["end_session", "reset_session", "start_session"]


def start_session(user: User) -> None:
    """A new session at sign-in: nothing from before (a planted cookie) carries over."""
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
    if current_user.is_authenticated:
        end_sessions(current_user._get_current_object(), action="auth.logout")
    web_session.end_session()
