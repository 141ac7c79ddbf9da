"""Ending a signed-in session the same way everywhere (sign-out, expiry, deleted account)."""

from __future__ import annotations

from flask import session
from flask_login import logout_user


def reset_session() -> None:
    """Forget everything in the session except the chosen language."""
    locale = session.get("locale")
    session.clear()
    if locale:
        session["locale"] = locale


def end_session() -> None:
    logout_user()
    reset_session()
