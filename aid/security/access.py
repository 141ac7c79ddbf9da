"""Who may reach which route: one table, deny by default.

Every endpoint the app registers must appear in RULES; an endpoint that is missing is refused
to everyone (and a test fails), so a new route cannot ship without someone deciding who sees it.
Record-level need-to-know (a volunteer sees only their own assignments) is checked inside the
feature's service, on top of this.
"""

from __future__ import annotations

from enum import IntEnum

from flask import Flask, abort, current_app, redirect, request, url_for
from flask_login import current_user


class Level(IntEnum):
    ANONYMOUS = 0
    APPLIED = 1  # signed in, not yet vetted: own profile only
    VETTED = 2
    COORDINATOR = 3
    ADMIN = 4


PUBLIC = Level.ANONYMOUS

RULES: dict[str, Level] = {
    "static": PUBLIC,
    "core.home": PUBLIC,
    "core.healthz": PUBLIC,
    "core.set_language": PUBLIC,
    "auth.login": PUBLIC,
    "auth.totp": PUBLIC,  # only meaningful with a pending password step in the session
    "auth.totp_setup": PUBLIC,
    "auth.setup_account": PUBLIC,  # guarded by a one-time token
    "auth.logout": Level.APPLIED,
    "auth.account": Level.APPLIED,
    "auth.change_password": Level.APPLIED,
    "auth.end_sessions": Level.APPLIED,
    "auth.recovery_codes": Level.COORDINATOR,
    "admin.settings": Level.ADMIN,
    "admin.areas": Level.ADMIN,
    "admin.area_toggle": Level.ADMIN,
    "admin.users": Level.ADMIN,
    "admin.user_new": Level.ADMIN,
    "admin.user_detail": Level.ADMIN,
    "admin.user_update": Level.ADMIN,
    "admin.audit_log": Level.ADMIN,
    "volunteers.signup": PUBLIC,
    "volunteers.calendar_feed": PUBLIC,  # guarded by a revocable secret token
    "volunteers.my_page": Level.APPLIED,
    "volunteers.profile": Level.APPLIED,
    "volunteers.calendar_link": Level.VETTED,
    "volunteers.vouch": Level.VETTED,
    "volunteers.applicants": Level.COORDINATOR,
    "volunteers.volunteer_detail": Level.COORDINATOR,
    "volunteers.decide": Level.COORDINATOR,
    "shifts.index": Level.VETTED,
    "shifts.detail": Level.VETTED,  # drafts and the meeting place: checked in the service
    "shifts.signup": Level.VETTED,
    "shifts.withdraw": Level.VETTED,
    "shifts.checkin": Level.VETTED,
    "shifts.checkout": Level.VETTED,
    "shifts.report": Level.VETTED,  # the shift's lead volunteer, or a coordinator
    "shifts.new": Level.COORDINATOR,
    "shifts.edit": Level.COORDINATOR,
    "shifts.set_lead": Level.COORDINATOR,
    "shifts.capacity": Level.COORDINATOR,
}


def user_level() -> Level:
    if not current_user.is_authenticated:
        return Level.ANONYMOUS
    return current_user.level


def rule_for(endpoint: str | None) -> Level | None:
    return RULES.get(endpoint or "")


def enforce() -> None:
    """before_request: apply RULES to the endpoint being reached."""
    if request.endpoint is None:
        return  # 404/405: let Flask answer
    needed = rule_for(request.endpoint)
    if needed is None:
        current_app.logger.error("route %s has no access rule: refused", request.endpoint)
        abort(403)
    if user_level() >= needed:
        return
    if not current_user.is_authenticated and request.method == "GET":
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
    abort(403)


def init_app(app: Flask) -> None:
    app.before_request(enforce)
