from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")

from aid.admin import audit_views, privacy, tasks, views  # noqa: E402,F401
