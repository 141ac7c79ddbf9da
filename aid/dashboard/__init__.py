"""The coordinators' home: what waits now and how the network is doing, in counts only."""

from flask import Blueprint

bp = Blueprint("dashboard", __name__)

from aid.dashboard import views  # noqa: E402,F401
