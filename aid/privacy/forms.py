from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from aid.forms import AidForm, BoundedIntegerField
from aid.labels import Labels
from aid.privacy.models import RETENTION_DEFAULTS

RETENTION_LABELS = Labels({
    "requests": _l("Hotline requests, with their timeline and notes, after they are resolved "
                   "or closed"),
    "board_posts": _l("Board posts and replies, after they close"),
    "subscribers_left": _l("Alert subscribers, after they leave"),
    "sms_outbound": _l("Texts we sent"),
    "sms_inbound": _l("Records of texts we received (the text itself is never kept)"),
    "codes": _l("One-time codes sent by text"),
    "audit": _l("Audit log entries"),
    "setup_tokens": _l("Account set-up links, after they expire"),
    "applications": _l("Volunteer applications never vetted, after sign-up"),
    "notifications": _l("Notices sent to volunteers and staff by text or email"),
    "calls": _l("The hotline's call log, and number blocks once they end"),
    "cases": _l("Detention-response cases, with their notes and dates, after they are closed"),
    "reports": _l("Reports of activity, with their photos and verification notes"),
})


def _days(kind: str) -> BoundedIntegerField:
    return BoundedIntegerField(RETENTION_LABELS[kind], default=RETENTION_DEFAULTS[kind],
                        validators=[InputRequired(), NumberRange(min=1, max=3650)])


class RetentionForm(AidForm):
    requests = _days("requests")
    board_posts = _days("board_posts")
    subscribers_left = _days("subscribers_left")
    sms_outbound = _days("sms_outbound")
    sms_inbound = _days("sms_inbound")
    codes = _days("codes")
    audit = _days("audit")
    setup_tokens = _days("setup_tokens")
    applications = _days("applications")
    notifications = _days("notifications")
    calls = _days("calls")
    cases = _days("cases")
    reports = _days("reports")


class WipeForm(AidForm):
    password = PasswordField(_l("Your password"), validators=[DataRequired(), Length(max=256)],
                             render_kw={"autocomplete": "current-password"})
    area = SelectField(_l("What to erase"), coerce=int, default=0)
    code = StringField(_l("Code from your authenticator app"),
                       validators=[DataRequired(), Length(max=10)],
                       render_kw={"autocomplete": "one-time-code", "inputmode": "numeric"})
    phrase = StringField(_l("Type ERASE to confirm"), validators=[DataRequired(), Length(max=20)])
