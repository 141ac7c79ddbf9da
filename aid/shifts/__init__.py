from flask import Blueprint
from flask.blueprints import BlueprintSetupState

from aid.shifts.sms import register

# No url_prefix: the calendar feed keeps its address, /calendar/<token>.ics.
bp = Blueprint("shifts", __name__)


@bp.record_once
def _hook_into_sms(_state: BlueprintSetupState) -> None:
    # Once per app: YES/NO answers to reminders and IN/OUT check-in by text.
    register()


from aid.shifts import calendar, privacy, signups, tasks, views  # noqa: E402,F401
