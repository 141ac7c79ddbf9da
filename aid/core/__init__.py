from flask import Blueprint

bp = Blueprint("core", __name__)

from aid.core import tasks, views  # noqa: E402,F401
