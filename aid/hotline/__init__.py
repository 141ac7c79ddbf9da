from flask import Blueprint
from flask.blueprints import BlueprintSetupState

from aid.hotline.sms import register

bp = Blueprint("hotline", __name__)


@bp.record_once
def _hook_into_sms(_state: BlueprintSetupState) -> None:
    # Once per app: the keyword router is module state, shared by every app in the process.
    register()


from aid.hotline import (  # noqa: E402,F401
    coordinator,
    privacy,
    replies_views,
    tasks,
    views,
    withdraw_views,
)
