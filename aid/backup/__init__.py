"""Resilience: encrypted backups and their nightly job, the offline phone tree."""

from flask import Blueprint

bp = Blueprint("backup", __name__)

from aid.backup import tasks, views  # noqa: E402,F401
