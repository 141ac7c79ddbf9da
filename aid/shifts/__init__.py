from flask import Blueprint
from flask.blueprints import BlueprintSetupState

bp = Blueprint("shifts", __name__, url_prefix="/shifts")


@bp.record_once
def _hook_into_sms(_state: BlueprintSetupState) -> None:
    # Once per app: YES/NO answers to reminders and IN/OUT check-in by text.
    from aid.shifts.sms import register

    register()


from aid.shifts import privacy, signups, tasks, views  # noqa: E402,F401
