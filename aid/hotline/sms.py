"""The hotline's side of inbound SMS: what the gateway's keyword router calls.

The gateway (`aid.sms`) checks the provider's signature, normalises the sender to E.164,
splits the words and picks the locale, then hands us an object with:
`phone`, `body`, `words` (upper-case, accents stripped), `message_sid`, `locale` ("en"/"es").
Each function returns the reply text, in that locale; the gateway sends it.

- any text that is not a keyword -> `handle_text`: opens a request, or adds to the open one
  from the same number (found by blind index, never by decrypting);
- `STATUS HX7-4KP` / `ESTADO HX7-4KP` -> `handle_status`: the status, but only to the number
  that made the request; any other number learns nothing, not even whether the code exists.
"""

from __future__ import annotations

from typing import Protocol

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from aid.extensions import db
from aid.hotline import service
from aid.hotline.forms import PUBLIC_STATE_LABELS
from aid.hotline.models import Category, Channel, Contact, HelpRequest, Urgency
from aid.phones import phone_index
from aid.sms import router

STATUS_KEYWORDS = ("STATUS", "ESTADO")
MAX_SMS_BODY = 1600  # the longest text a provider delivers as one message


class Inbound(Protocol):
    """The SMS router's text as the hotline reads it (read-only: a frozen dataclass)."""

    @property
    def phone(self) -> str: ...
    @property
    def body(self) -> str: ...
    @property
    def words(self) -> tuple[str, ...]: ...
    @property
    def message_sid(self) -> str: ...
    @property
    def locale(self) -> str: ...


def _locale(inbound: Inbound) -> str:
    return inbound.locale if inbound.locale in ("en", "es") else "en"


def handle_text(inbound: Inbound) -> str:
    """Open a request from a text, or add the text to the sender's open request."""
    body = (inbound.body or "").strip()[:MAX_SMS_BODY]
    with force_locale(_locale(inbound)):
        repeated = service.request_for_message(inbound.message_sid)
        if repeated is not None:  # the provider retried a webhook we already stored
            return _received(repeated)
        if not body:
            return _("Please tell us in words what you need, and we will answer.")
        existing = service.open_request_for_phone(inbound.phone)
        if existing is not None:
            service.add_message(existing, body, inbound.message_sid or None)
            return _("We added your message to request %(code)s.", code=existing.code)
        req, _token = service.create_request(
            service.Intake(category=Category.OTHER, urgency=Urgency.DAYS, area_id=None,
                           language=_locale(inbound), contact_method=Contact.SMS, details=body,
                           phone=inbound.phone, consent=False),
            Channel.SMS, message_sid=inbound.message_sid or None)
        return _received(req)


def _received(req: HelpRequest) -> str:
    return _("We got your message. Your code is %(code)s. We will text you back. "
             "To check on it, text STATUS %(code)s.", code=req.code)


def handle_status(inbound: Inbound) -> str:
    """`STATUS <code>` from the number that asked: its status; from anyone else: nothing."""
    words = [w for w in inbound.words if w not in STATUS_KEYWORDS]
    code = service.normalise_code("".join(words))
    with force_locale(_locale(inbound)):
        req = None
        if code is not None:
            req = db.session.scalar(select(HelpRequest).where(
                HelpRequest.code == code, HelpRequest.phone_index == phone_index(inbound.phone)))
        if req is None:
            return _("We found no request with that code from this phone number. "
                     "Text us what you need and we will answer.")
        state = service.public_state(req)
        return _("Request %(code)s: %(status)s", code=req.code,
                 status=str(PUBLIC_STATE_LABELS[state]))


def register() -> None:
    """Hook the hotline into the SMS router: free text opens a request, STATUS answers.

    Called once per app (the blueprint's `record_once`); safe to call again, since the router
    accepts the same handler for the same keyword, and the fallback is simply set again.
    """
    router.on_keywords(*STATUS_KEYWORDS)(handle_status)
    router.set_fallback(handle_text)
