"""What the outbox shows for a text's state and purpose (the stored values are codes)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from aid.labels import Labels

STATUS_LABELS = Labels({
    "queued": _l("Waiting to go"), "sent": _l("Sent"), "delivered": _l("Delivered"),
    "undelivered": _l("Not delivered"), "failed": _l("Failed"),
    "suppressed": _l("Not sent: opted out"),
})
PURPOSE_LABELS = Labels({
    "alert": _l("Alert"), "checkout_alarm": _l("Check-out alarm"),
    "hotline_reply": _l("Hotline reply"), "reminder": _l("Reminder"),
    "shift_dropped": _l("Shift cancelled"), "shift_reminder": _l("Shift reminder"),
    "subscription": _l("Alert subscription"), "verification": _l("Verification code"),
    "volunteer_vetted": _l("Volunteer confirmed"), "waitlist_promoted": _l("Off the waitlist"),
    "reply": _l("Reply"),
    "board_link": _l("Board post private link"), "board_relay": _l("Board answer relayed"),
})
