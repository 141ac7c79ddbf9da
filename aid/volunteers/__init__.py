from flask import Blueprint

from aid.timeutil import to_local

bp = Blueprint("volunteers", __name__)
bp.add_app_template_global(to_local, "to_local")  # shift times are shown in local time

from aid.volunteers import views  # noqa: E402,F401
