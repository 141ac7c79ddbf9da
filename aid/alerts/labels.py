"""What alert and report pages call values and states (translated when shown)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from aid.alerts.models import AlertKind, AlertState, ReportState, VerdictKind
from aid.labels import Labels

# The Common Alerting Protocol 1.2 value lists (OASIS): the keys are CAP's own spelling (what
# the public feed carries); people are asked and shown plain words.
SEVERITY = {"Extreme": _l("Lives or freedom in danger"),
            "Severe": _l("Serious danger to people"),
            "Moderate": _l("Some danger: take care"),
            "Minor": _l("Little danger: good to know"), "Unknown": _l("Not known yet")}
URGENCY = {"Immediate": _l("Act now"), "Expected": _l("Within the hour"),
           "Future": _l("Later: time to prepare"), "Past": _l("It is over"),
           "Unknown": _l("Not known yet")}
CERTAINTY = {"Observed": _l("Seen by our own people"), "Likely": _l("Probably true"),
             "Possible": _l("Could be true"), "Unlikely": _l("Probably not true"),
             "Unknown": _l("Not known yet")}
KIND_LABELS = Labels({AlertKind.ALERT: _l("Alert"), AlertKind.UPDATE: _l("Update"),
                      AlertKind.RETRACTION: _l("Retraction")})
# Keyed by the enum, looked up with the plain string a row holds (a StrEnum is a str).
STATE_LABELS: Labels[str] = Labels({
    AlertState.DRAFT: _l("Draft"), AlertState.PENDING: _l("Waiting for approval"),
    AlertState.SENDING: _l("Sending"), AlertState.SENT: _l("Sent"),
    AlertState.CANCELLED: _l("Cancelled"),
})
SEEN = {
    "now": _l("Happening now"),
    "hour": _l("In the last hour"),
    "today": _l("Earlier today"),
    "earlier": _l("Before today"),
}
REPORT_STATE_LABELS: Labels[str] = Labels({
    ReportState.UNVERIFIED: _l("Unverified"),
    ReportState.DISPATCHED: _l("Being checked"),
    ReportState.PROBABLE: _l("Probable"),
    ReportState.CONFIRMED: _l("Confirmed"),
    ReportState.FALSE: _l("False"),
    ReportState.EXPIRED: _l("Expired"),
    ReportState.MERGED: _l("Merged"),
})
VERDICT_LABELS = Labels({
    VerdictKind.CONFIRMED: _l("Confirmed"), VerdictKind.PROBABLE: _l("Probable"),
    VerdictKind.NOT_SEEN: _l("Not seen"), VerdictKind.FALSE: _l("False"),
})
