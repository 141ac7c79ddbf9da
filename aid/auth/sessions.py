"""Starting and ending a signed-in session, the same way everywhere."""

from __future__ import annotations

import time

from flask import session
from flask_login import login_user

from aid.auth.models import User
from aid.security.sessions import end_session, reset_session

__all__ = ["end_session", "reset_session", "start_session"]


def start_session(user: User) -> None:
    """A new session at sign-in: nothing from before (a planted cookie) carries over."""
    from aid.auth.service import signed_in

    reset_session()
    session.permanent = True
    login_user(user)
    session["login_at"] = time.time()
    signed_in(user)
