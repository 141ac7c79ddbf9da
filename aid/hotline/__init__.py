from flask import Blueprint

bp = Blueprint("hotline", __name__)

from aid.hotline import coordinator, views  # noqa: E402,F401
