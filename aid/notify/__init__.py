from flask import Blueprint

bp = Blueprint("notify", __name__)

from aid.notify import privacy, tasks, views  # noqa: E402,F401
