"""Starting and ending a signed-in session, the same way everywhere."""

from __future__ import annotations

import time

from flask import session
from flask_login import login_user, logout_user

from aid.auth.models import User


def reset_session() -> None:
    """Forget everything in the session except the chosen language."""
    locale = session.get("locale")
    session.clear()
    if locale:
        session["locale"] = locale


def start_session(user: User) -> None:
    """A new session at sign-in: nothing from before (a planted cookie) carries over."""
    from aid.auth.service import signed_in

    reset_session()
    session.permanent = True
    login_user(user)
    session["login_at"] = time.time()
    signed_in(user)


def end_session() -> None:
    logout_user()
    reset_session()
