"""A requester withdraws their request: the reference code, then a code texted to the phone
they gave. What they told us is erased at once, not after the retention period."""

from __future__ import annotations

from flask_babel import gettext as _

from aid.extensions import db
from aid.hotline.models import HelpRequest, State
from aid.hotline.service import _move, find_by_code
from aid.network.service import current_settings
from aid.phones import phone_index
from aid.privacy import owndata, registry
from aid.sms.subscriptions import send_code

WITHDRAW_PURPOSE = "withdraw"


def start_withdrawal(code: str, e164: str) -> int | None:
    """Text a code to the phone given with an open request, when code and phone match.

    Returns the code row's id, or None (nothing sent) when they do not match, the request is
    closed, or the phone had too many codes this hour. The page says the same either way."""
    req = find_by_code(code)
    key = phone_index(e164) or ""
    if req is None or not req.is_open or not req.phone_index or req.phone_index != key:
        return None
    network, ref = current_settings().network_name, req.code
    return send_code(e164, WITHDRAW_PURPOSE, lambda secret: _(
        "%(network)s: your code to withdraw request %(ref)s is %(code)s. If you did "
        "not ask, ignore this text.", network=network, ref=ref, code=secret),
        extra=str(req.id), language=req.language if req.language in ("en", "es") else "en")


def withdraw_request(request_id: int) -> bool:
    """Close the request as withdrawn and erase what the person told us now, not after the
    retention period: they asked us to stop. Counts (category, area, dates) stay."""
    req = db.session.get(HelpRequest, request_id)
    if req is None or not req.is_open:
        return False
    _move(req, State.WITHDRAWN, None)
    owndata.forget(registry.REQUESTER, req, reason="by requester")  # commits
    return True
