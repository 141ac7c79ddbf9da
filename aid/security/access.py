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
    "texts.index": PUBLIC,
    "texts.article": PUBLIC,
    "auth.login": PUBLIC,
    "auth.totp": PUBLIC,  # only meaningful with a pending password step in the session
    "auth.totp_setup": PUBLIC,
    "auth.setup_account": PUBLIC,  # guarded by a one-time token
    "auth.logout": Level.APPLIED,
    "auth.account": Level.APPLIED,
    "auth.change_password": Level.APPLIED,
    "auth.end_sessions": Level.APPLIED,
    "auth.recovery_codes": Level.COORDINATOR,
    "auth.duress_password": Level.COORDINATOR,  # staff only: they are the ones coerced
    "admin.index": Level.ADMIN,
    "admin.settings": Level.ADMIN,
    "admin.areas": Level.ADMIN,
    "admin.area_toggle": Level.ADMIN,
    "admin.users": Level.ADMIN,
    "admin.user_new": Level.ADMIN,
    "admin.user_detail": Level.ADMIN,
    "admin.user_update": Level.ADMIN,
    "admin.audit_log": Level.ADMIN,
    "admin.rotation_page": Level.ADMIN,
    # The offline phone tree: the download asks for the password and a fresh code again.
    "backup.phone_tree": Level.ADMIN,
    "backup.phone_tree_procedures": Level.ADMIN,
    "backup.phone_tree_opt_in": Level.VETTED,  # staff and responders (checked in the service)
    "admin.rotation_start": Level.ADMIN,
    # Hotline: asking for help needs no account; a volunteer sees only what they hold
    # (checked in aid.hotline.service.for_volunteer); coordinators see the whole queue.
    "hotline.ask": PUBLIC,
    "hotline.private_status": PUBLIC,  # guarded by an unguessable token
    "hotline.status_lookup": PUBLIC,  # status only, rate-limited
    "hotline.my_requests": Level.VETTED,
    "hotline.my_detail": Level.VETTED,
    "hotline.my_note": Level.VETTED,
    "hotline.my_progress": Level.VETTED,
    "hotline.my_reply": Level.VETTED,
    "hotline.queue": Level.COORDINATOR,
    "hotline.phone_intake": Level.COORDINATOR,
    "hotline.detail": Level.COORDINATOR,
    "hotline.triage": Level.COORDINATOR,
    "hotline.change_status": Level.COORDINATOR,
    "hotline.assign": Level.COORDINATOR,
    "hotline.add_note": Level.COORDINATOR,
    "hotline.merge": Level.COORDINATOR,
    "hotline.reply": Level.COORDINATOR,
    # Needs/offers board: public pages; manage and reply pages are guarded by a secret link.
    "board.index": PUBLIC,
    "board.feed": PUBLIC,
    "board.new": PUBLIC,
    "board.show": PUBLIC,
    "board.respond": PUBLIC,
    "board.flag": PUBLIC,
    "board.manage": PUBLIC,
    "board.manage_edit": PUBLIC,
    "board.reply": PUBLIC,
    "board.mine": Level.VETTED,
    "board.mine_manage": Level.VETTED,  # and only the author's own posts (service)
    "board.mine_edit": Level.VETTED,
    "board.moderation_queue": Level.COORDINATOR,
    "board.mod_post": Level.COORDINATOR,
    "board.mod_action": Level.COORDINATOR,
    "board.mod_edit": Level.COORDINATOR,
    "board.mod_match": Level.COORDINATOR,
    # Twilio's webhooks: public, but every request must carry a valid X-Twilio-Signature.
    "sms.inbound": PUBLIC,
    "sms.status": PUBLIC,
    "sms.outbox": Level.ADMIN,
    "subscriptions.subscribe": PUBLIC,
    "subscriptions.subscribe_confirm": PUBLIC,
    "subscriptions.manage": PUBLIC,
    "subscriptions.manage_confirm": PUBLIC,
    "subscriptions.manage_choices": PUBLIC,  # only with a confirmed code in the session
    "subscriptions.manage_leave": PUBLIC,
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
    # Privacy: retention, the emergency erase (password and code again), audit summaries.
    "privacy.retention": Level.ADMIN,
    "privacy.wipe_page": Level.ADMIN,
    "privacy.audit_unusual": Level.ADMIN,
    # Anyone signed in: their own data only (the view reads current_user, never an id).
    "privacy.my_data": Level.APPLIED,
    "privacy.my_data_download": Level.APPLIED,
    "privacy.subscriber_data": PUBLIC,  # only with a confirmed SMS code in the session
    "privacy.subscriber_delete": PUBLIC,  # the same
    "privacy.withdraw": PUBLIC,  # reference code + a code texted to the request's phone
    "privacy.withdraw_confirm": PUBLIC,
    # Alerts: anyone can report; published alerts are public feeds; a responder sees only a
    # report they were asked to check (aid.alerts.reports.can_check); the rest is coordinators'.
    "alerts.report": PUBLIC,
    "alerts.feed": PUBLIC,
    "alerts.cap": PUBLIC,  # public, sent alerts only
    "alerts.check": Level.VETTED,
    "alerts.reports_list": Level.COORDINATOR,
    "alerts.report_detail": Level.COORDINATOR,
    "alerts.dispatch": Level.COORDINATOR,
    "alerts.verify": Level.COORDINATOR,
    "alerts.report_from_request": Level.COORDINATOR,
    "alerts.alerts_list": Level.COORDINATOR,
    "alerts.compose": Level.COORDINATOR,
    "alerts.alert_detail": Level.COORDINATOR,
    "alerts.alert_progress": Level.COORDINATOR,  # the same counts as the page, as JSON
    "alerts.submit": Level.COORDINATOR,
    "alerts.approve": Level.COORDINATOR,  # never the author: aid.alerts.service.approve
    "alerts.cancel": Level.COORDINATOR,
    "alerts.correct": Level.COORDINATOR,
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
