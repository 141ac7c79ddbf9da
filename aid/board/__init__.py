from flask import Blueprint
from flask.blueprints import BlueprintSetupState

from aid.board.sms import register

# No url_prefix: the public board lives at /board, its moderation at /coordinator/board.
bp = Blueprint("board", __name__)


@bp.record_once
def _hook_into_sms(_state: BlueprintSetupState) -> None:
    # Once per app: BOARD <code> <message> relays a text between a poster and a responder.
    register()


from aid.board import moderation_views, privacy, tasks, views  # noqa: E402,F401
