from flask import Blueprint

from aid.timeutil import to_local, weekday

bp = Blueprint("volunteers", __name__)
bp.add_app_template_global(to_local, "to_local")  # shift times are shown in local time
bp.add_app_template_filter(weekday, "weekday")

from aid.volunteers import privacy, views  # noqa: E402,F401
