"""Answering a board message by text, through the hotline number, without either side
learning the other's number.

The poster who gave a phone is told of an answer by text, with a relay code: `BOARD 12KXQR
and a message` (`TABLON` in Spanish) sent to the hotline number goes to the responder, when
the responder gave a phone, through the SMS gateway; the responder answers the same way and
it reaches the poster. Who is writing is told by the sender's number: the post's contact or
the answer's. The code is the answer's number and an HMAC of it, so it names one thread and
cannot be guessed for another; nothing is stored for it.

A text whose code is not one of ours goes on to the hotline like any other text (a person's
plea is never swallowed); a right code from a third number is refused without saying more.
"""

from __future__ import annotations

import hashlib
import hmac
import re

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from aid.board.models import Response
from aid.extensions import db
from aid.network.service import current_settings
from aid.phones import BadPhone, normalise_phone
from aid.security import audit
from aid.sms import router
from aid.sms.gateway import queue_sms
from aid.sms.router import Inbound

KEYWORDS = ("BOARD", "TABLON")
CODE = re.compile(r"^(\d{1,9})([A-Z]{4})$")
LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"  # no I or O: they read as 1 and 0
MAX_RELAYED = 600  # about four segments: a message, not a document


def _signature(response_id: int) -> str:
    key = current_app.config["SECRET_KEY"].encode()
    mac = hmac.new(key, f"board-relay:{response_id}".encode(), hashlib.sha256).digest()
    return "".join(LETTERS[b % len(LETTERS)] for b in mac[:4])


def relay_code(response: Response) -> str:
    return f"{response.id}{_signature(response.id)}"


def response_for_code(word: str) -> Response | None:
    match = CODE.match(word)
    if match is None or not hmac.compare_digest(match.group(2), _signature(int(match.group(1)))):
        return None
    return db.session.get(Response, int(match.group(1)))


def _phone(text: str | None) -> str | None:
    """A free-text contact as a phone number, when it is one."""
    try:
        return normalise_phone((text or "").strip(), current_settings().default_region)
    except BadPhone:
        return None


def _message(body: str) -> str:
    """What follows the keyword and the code, as typed."""
    parts = (body or "").strip().split(None, 2)
    return parts[2].strip()[:MAX_RELAYED] if len(parts) == 3 else ""


def relay(inbound: Inbound) -> str | None:
    response = response_for_code(inbound.words[1]) if len(inbound.words) > 1 else None
    if response is None:
        return router.fallback(inbound)
    locale = inbound.locale if inbound.locale in ("en", "es") else "en"
    poster, responder = _phone(response.post.contact), _phone(response.contact)
    if inbound.phone == poster and not response.post.author_id:
        to, side = responder, "poster"
    elif inbound.phone == responder:
        to, side = poster, "responder"
    else:
        with force_locale(locale):
            return _("We could not match this text to a board message of yours.")
    message = _message(inbound.body)
    with force_locale(locale):
        if not message:
            return _("Write your message after the code, for example: BOARD %(code)s Yes, "
                     "Tuesday works.", code=relay_code(response))
        if to is None:
            return _("The other person gave no phone number, so we cannot pass texts on. "
                     "Please use your private link.")
    code = relay_code(response)
    network = current_settings().network_name
    # The reader's language is not known for a contact typed on the board: the sender's.
    with force_locale(locale):
        body = _("%(network)s board: %(message)s (To answer, text BOARD %(code)s and your "
                 "message to this number. They do not see your number.)",
                 network=network, message=message, code=code)
    queue_sms(to, body, purpose="board_relay")
    audit.record("board.reply_relayed", "board_post", response.post_id, f"from {side}")
    db.session.commit()
    with force_locale(locale):
        return _("Sent. They do not see your number.")


def register() -> None:
    """Once per app (the blueprint's `record_once`); safe to repeat (same handler)."""
    router.on_keywords(*KEYWORDS)(relay)
