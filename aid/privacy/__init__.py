"""Privacy operations: retention and purging, the panic wipe, people's own data."""

from flask import Blueprint

bp = Blueprint("privacy", __name__)

from aid.privacy import tasks, views  # noqa: E402,F401
