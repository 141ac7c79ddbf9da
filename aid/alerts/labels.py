"""What alert and report pages call values and states (translated when shown)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from aid.alerts.models import AlertKind, AlertState, ReportState, VerdictKind

# The Common Alerting Protocol 1.2 value lists (OASIS), in its own spelling.
SEVERITY = {"Extreme": _l("Extreme"), "Severe": _l("Severe"), "Moderate": _l("Moderate"),
            "Minor": _l("Minor"), "Unknown": _l("Unknown")}
URGENCY = {"Immediate": _l("Immediate: act now"), "Expected": _l("Expected: within the hour"),
           "Future": _l("Future"), "Past": _l("Past"), "Unknown": _l("Unknown")}
CERTAINTY = {"Observed": _l("Observed"), "Likely": _l("Likely"), "Possible": _l("Possible"),
             "Unlikely": _l("Unlikely"), "Unknown": _l("Unknown")}
KIND_LABELS = {AlertKind.ALERT: _l("Alert"), AlertKind.UPDATE: _l("Update"),
               AlertKind.RETRACTION: _l("Retraction")}
STATE_LABELS = {
    AlertState.DRAFT: _l("Draft"), AlertState.PENDING: _l("Waiting for approval"),
    AlertState.SENDING: _l("Sending"), AlertState.SENT: _l("Sent"),
    AlertState.CANCELLED: _l("Cancelled"),
}
SEEN = {
    "now": _l("Happening now"),
    "hour": _l("In the last hour"),
    "today": _l("Earlier today"),
    "earlier": _l("Before today"),
}
REPORT_STATE_LABELS = {
    ReportState.UNVERIFIED: _l("Unverified"),
    ReportState.DISPATCHED: _l("Being checked"),
    ReportState.PROBABLE: _l("Probable"),
    ReportState.CONFIRMED: _l("Confirmed"),
    ReportState.FALSE: _l("False"),
    ReportState.EXPIRED: _l("Expired"),
    ReportState.MERGED: _l("Merged"),
}
VERDICT_LABELS = {
    VerdictKind.CONFIRMED: _l("Confirmed"), VerdictKind.PROBABLE: _l("Probable"),
    VerdictKind.NOT_SEEN: _l("Not seen"), VerdictKind.FALSE: _l("False"),
}
