from flask import Blueprint

bp = Blueprint("shifts", __name__, url_prefix="/shifts")

from aid.shifts import tasks, views  # noqa: E402,F401
