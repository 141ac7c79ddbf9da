"""Early-warning alerts: reports, verification by responders, compose and approve (two-person
rule over a threshold), the SMS fan-out, progress, and public Atom / CAP feeds.

The subscription pages (/alerts/subscribe, /alerts/manage) belong to the `subscriptions`
blueprint in aid.sms; this blueprint has the rest.
"""

from flask import Blueprint

bp = Blueprint("alerts", __name__)

from aid.alerts import coordinator, privacy, tasks, views  # noqa: E402,F401
