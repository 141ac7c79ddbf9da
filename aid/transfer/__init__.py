"""Import and export: CSV in (volunteers from a Google Forms / Sheets export, alert
subscribers from another texting service) and out (requests, volunteers, shifts, rosters),
and the printable shift roster. No table of its own: an upload travels between the mapping,
dry-run and import steps inside the coordinator's own form, never stored on the server."""

from flask import Blueprint

bp = Blueprint("transfer", __name__)

from aid.transfer import views  # noqa: E402,F401
