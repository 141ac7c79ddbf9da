"""Early-warning alerts: reports, verification by responders, compose and approve (two-person
rule over a threshold), the SMS fan-out, progress, and public Atom / CAP feeds.

Subscribers and their pages (/alerts/subscribe, /alerts/manage) belong to aid.sms (the
`subscriptions` blueprint, see aid/sms/__init__.py for why); this feature reads the audience
from `aid.sms.subscriptions` and sends through the SMS gateway's batch API.
"""

from flask import Blueprint
from flask.blueprints import BlueprintSetupState

from aid.alerts.sms import register

bp = Blueprint("alerts", __name__)


@bp.record_once
def _hook_into_sms(_state: BlueprintSetupState) -> None:
    # Once per app: the keyword router is module state, shared by every app in the process.
    register()


from aid.alerts import coordinator, privacy, tasks, views  # noqa: E402,F401
