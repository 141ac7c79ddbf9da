"""What the audit pages call an action and a record type (the stored values are codes).

The codes stay in the table and in the address (the filter takes them); people read these.
An action missing here (a feature added one) is shown as its record type and a generic
verb, never as a bare code in English.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

TYPE_LABELS = {
    "user": _l("Account"), "help_request": _l("Help request"), "board_post": _l("Board post"),
    "shift": _l("Shift"), "report": _l("Incident report"), "alert": _l("Alert"),
    "subscriber": _l("Alert subscriber"), "suppression": _l("Opt-out"),
    "settings": _l("Settings"), "area": _l("Area"), "rotation": _l("Key rotation"),
    "sms_outbound": _l("Outgoing text"),
}

ACTION_LABELS = {
    "account.exported": _l("Own data downloaded"), "account.deleted": _l("Account deleted"),
    "alert.approved": _l("Alert approved"), "alert.cancelled": _l("Alert cancelled"),
    "alert.drafted": _l("Alert drafted"), "alert.submitted": _l("Alert sent for approval"),
    "alert.self_approval_refused": _l("Own alert approval refused"),
    "alert.update_drafted": _l("Alert update drafted"),
    "alert.retraction_drafted": _l("Alert retraction drafted"),
    "area.changed": _l("Area changed"), "area.created": _l("Area created"),
    "audit.summary_viewed": _l("Unusual access page opened"),
    "auth.duress_sign_in": _l("Signed in with the duress password"),
    "auth.duress_set": _l("Duress password set"),
    "auth.duress_cleared": _l("Duress password removed"),
    "auth.login": _l("Signed in"), "auth.login_failed": _l("Sign-in failed"),
    "auth.logout": _l("Signed out"), "auth.sessions_ended": _l("Other sessions ended"),
    "auth.password_changed": _l("Password changed"),
    "auth.recovery_code_used": _l("Recovery code used"),
    "auth.recovery_codes_replaced": _l("Recovery codes replaced"),
    "auth.signup_with_existing_email": _l("Sign-up with an address already in use"),
    "auth.totp_enrolled": _l("Second factor set up"),
    "auth.totp_failed": _l("Second factor code refused"),
    "auth.totp_reset": _l("Second factor reset"),
    "backup.created": _l("Backup made"), "backup.pruned": _l("Old backups deleted"),
    "board.contacts_shared": _l("Contacts shared"), "board.flags_cleared": _l("Reports cleared"),
    "board.matched": _l("Posts matched"), "board.post_approved": _l("Post approved"),
    "board.post_created": _l("Post created"), "board.post_deleted": _l("Post deleted"),
    "board.post_edited": _l("Post edited"), "board.post_flagged": _l("Post reported"),
    "board.post_fulfilled": _l("Post closed as done"), "board.post_hidden": _l("Post hidden"),
    "board.post_removed": _l("Post removed by a moderator"),
    "board.posts_expired": _l("Posts expired"), "board.posts_purged": _l("Old posts deleted"),
    "board.response_created": _l("Answer sent"),
    "board.response_withdrawn": _l("Answer withdrawn"),
    "board.link_sent": _l("Private link sent to the poster"),
    "board.reply_relayed": _l("Reply relayed by text"),
    "board_post.list_viewed": _l("Moderation list opened"),
    "help_request.assigned": _l("Request assigned"),
    "help_request.created": _l("Request received"),
    "help_request.exported": _l("Requester's data downloaded"),
    "help_request.merged": _l("Requests merged"),
    "help_request.message": _l("Requester wrote again"),
    "help_request.note": _l("Note added"), "help_request.reply": _l("Reply sent"),
    "help_request.status": _l("Request status changed"),
    "help_request.triaged": _l("Request triaged"),
    "help_request.withdrawn": _l("Request withdrawn by the requester"),
    "hotline.queue_full": _l("Web requests paused: hourly limit reached"),
    "keys.rotation_finished": _l("Key rotation finished"),
    "keys.rotation_started": _l("Key rotation started"),
    "outbox.viewed": _l("Outbox opened"),
    "phone_tree.downloaded": _l("Phone tree downloaded"),
    "phone_tree.opted_in": _l("Joined the phone tree"),
    "phone_tree.opted_out": _l("Left the phone tree"),
    "phone_tree.procedures_changed": _l("Phone tree procedures changed"),
    "phone_tree.refused": _l("Phone tree refused"), "phone_tree.viewed": _l("Phone tree opened"),
    "privacy.wipe_refused": _l("Area wipe refused"), "privacy.wiped": _l("Area wiped"),
    "report.created": _l("Report received"), "report.dispatched": _l("Report sent to check"),
    "report.verified": _l("Report checked"),
    "retention.changed": _l("Retention changed"), "retention.purged": _l("Old records deleted"),
    "settings.changed": _l("Settings changed"),
    "shift.capacities_changed": _l("Default capacities changed"),
    "shift.checked_in": _l("Checked in"), "shift.checked_out": _l("Checked out"),
    "shift.checkout_missed": _l("Missed check-out"), "shift.created": _l("Shift created"),
    "shift.lead_set": _l("Lead volunteer set"), "shift.promoted": _l("Moved up from the waitlist"),
    "shift.reconfirmed": _l("Confirmed by text"), "shift.report_filed": _l("Report filed"),
    "shift.signed_up": _l("Signed up"), "shift.updated": _l("Shift changed"),
    "shift.withdrawn": _l("Withdrew"),
    "sms.code_budget_spent": _l("Texted-code budget spent"),
    "sms.opted_in": _l("Texts allowed again (START)"), "sms.opted_out": _l("Texts stopped (STOP)"),
    "subscriber.changed": _l("Alert choices changed"),
    "subscriber.deleted": _l("Subscriber deleted"),
    "subscriber.exported": _l("Subscriber's data downloaded"),
    "subscriber.left": _l("Left the alerts"), "subscriber.stopped": _l("Alerts stopped"),
    "subscriber.subscribed": _l("Subscribed to alerts"),
    "user.created": _l("Account created"), "user.list_viewed": _l("Account list opened"),
    "user.role_changed": _l("Role changed"), "user.setup_link_created": _l("Set-up link made"),
    "user.status_changed": _l("Account status changed"), "user.unlocked": _l("Account unlocked"),
    "user.viewed": _l("Account opened"), "help_request.viewed": _l("Request opened"),
    "report.viewed": _l("Report opened"), "shift.viewed": _l("Meeting place shown"),
    "board_post.viewed": _l("Post opened by a moderator"),
    "volunteer.approved": _l("Volunteer approved"),
    "volunteer.calendar_link_created": _l("Calendar link made"),
    "volunteer.calendar_link_revoked": _l("Calendar link revoked"),
    "volunteer.confirmed": _l("Volunteer confirmed"),
    "volunteer.list_viewed": _l("Volunteer list opened"),
    "volunteer.offboarded": _l("Volunteer offboarded"),
    "volunteer.profile_updated": _l("Profile changed"),
    "volunteer.reinstated": _l("Volunteer reinstated"),
    "volunteer.signed_up": _l("Volunteer applied"),
    "volunteer.suspended": _l("Volunteer suspended"), "volunteer.vouched": _l("Vouched"),
    "volunteer.vouch_requested": _l("Vouch requested"),
    "volunteer.approve_recorded": _l("Approval recorded"),
    "volunteer.confirm_recorded": _l("Confirmation recorded"),
    "volunteer.suspend_recorded": _l("Suspension recorded"),
    "volunteer.reinstate_recorded": _l("Reinstatement recorded"),
    "volunteer.offboard_recorded": _l("Offboarding recorded"),
    "volunteer.orientation_recorded": _l("Orientation recorded"),
}

# The verbs of codes not listed above, by their last word.
VERB_LABELS = {"viewed": _l("opened"), "created": _l("created"), "changed": _l("changed"),
               "deleted": _l("deleted"), "list_viewed": _l("list opened")}


def action_label(code: str) -> str:
    """The action as a person reads it, in their language."""
    if code in ACTION_LABELS:
        return str(ACTION_LABELS[code])
    thing, _dot, verb = code.rpartition(".")
    noun = TYPE_LABELS.get(thing)
    if noun is not None and verb in VERB_LABELS:
        return f"{noun}: {VERB_LABELS[verb]}"
    return code


def type_label(code: str | None) -> str:
    return str(TYPE_LABELS[code]) if code in TYPE_LABELS else code or ""
