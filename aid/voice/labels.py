"""What the call log calls directions and outcomes (translated when shown)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from aid.labels import Labels
from aid.voice.models import Direction, Outcome

DIRECTION_LABELS = Labels({Direction.INBOUND: _l("Incoming"), Direction.CALLBACK: _l("Call back")})
OUTCOME_LABELS = Labels({
    Outcome.MENU: _l("In the menu"), Outcome.RINGING: _l("Ringing"),
    Outcome.VOICEMAIL: _l("At the voicemail prompt"), Outcome.ANSWERED: _l("Answered"),
    Outcome.LEFT_MESSAGE: _l("Voicemail"), Outcome.MISSED: _l("Missed"),
    Outcome.BLOCKED: _l("Blocked number"), Outcome.CALLING: _l("Calling the volunteer"),
    Outcome.CONNECTED: _l("Connected"), Outcome.NOT_REACHED: _l("Not reached"),
    Outcome.CLOSED: _l("Line closed"),
})
