"""Bulk texts to volunteers: a filtered set, a text per language, the two-person rule."""

from flask import Blueprint

bp = Blueprint("outreach", __name__)

from aid.outreach import privacy, views  # noqa: E402,F401
