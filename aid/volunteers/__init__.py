from flask import Blueprint
from flask.blueprints import BlueprintSetupState

from aid.timeutil import to_local, weekday
from aid.volunteers.people import register

bp = Blueprint("volunteers", __name__)
bp.add_app_template_global(to_local, "to_local")  # shift times are shown in local time
bp.add_app_template_filter(weekday, "weekday")


@bp.record_once
def _people_for_notify(_state: BlueprintSetupState) -> None:
    register()


from aid.volunteers import find_views, privacy, views  # noqa: E402,F401
