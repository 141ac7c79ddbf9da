"""The voice hotline: calls to the hotline number ring the volunteers on call, voicemail
becomes a request, callbacks keep every number hidden.

Webhooks (`views`, under /voice/), staff pages (`staff_views`: call log, blocks, settings,
callbacks, voicemail playback), rules (`service`, `blocks`, `callbacks`), TwiML (`twiml`),
Twilio's REST API (`twilio_api`), background work (`tasks`) and privacy hooks (`privacy`).
"""

from flask import Blueprint
from flask.blueprints import BlueprintSetupState

from aid.sms import router
from aid.voice.blocks import is_blocked

bp = Blueprint("voice", __name__)


@bp.record_once
def _hook_into_sms(_state: BlueprintSetupState) -> None:
    # Texts from a blocked number are ignored too (the router still answers STOP and HELP).
    router.add_blocker(is_blocked)


from aid.voice import privacy, staff_views, tasks, views  # noqa: E402,F401
