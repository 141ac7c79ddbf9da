from flask import Blueprint

bp = Blueprint("auth", __name__)

from aid.auth import data_views, privacy, views  # noqa: E402,F401
