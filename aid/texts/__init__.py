"""Founding texts: the articles in ``seeds/``, their pages, and the passages features quote."""

from flask import Blueprint

bp = Blueprint("texts", __name__, url_prefix="/about/texts")

from aid.texts import service, views  # noqa: E402,F401

# Loaded once, when the app registers the blueprint: never per request.
bp.record_once(lambda state: service.init_app(state.app))
