from flask import Blueprint

# No url_prefix: the public board lives at /board, its moderation at /coordinator/board.
bp = Blueprint("board", __name__)

from aid.board import moderation_views, privacy, tasks, views  # noqa: E402,F401
