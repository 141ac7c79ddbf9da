"""A requester withdraws their request: the reference code, then a code texted to the phone
they gave. What they told us is erased at once, not after the retention period."""

from __future__ import annotations

import secrets
from datetime import timedelta

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import func, select

from aid.admin.service import current_settings
from aid.extensions import db
from aid.hotline.models import HelpRequest, State
from aid.hotline.service import _move, find_by_code
from aid.phones import phone_index
from aid.privacy import owndata, registry
from aid.sms.gateway import queue_sms
from aid.sms.models import VerificationCode
from aid.sms.subscriptions import code_hash
from aid.timeutil import utcnow

WITHDRAW_PURPOSE = "withdraw"
CODE_TTL = timedelta(minutes=10)
MAX_CODES_PER_HOUR = 3


def start_withdrawal(code: str, e164: str) -> int | None:
    """Text a code to the phone given with an open request, when code and phone match.

    Returns the code row's id, or None (nothing sent) when they do not match, the request is
    closed, or the phone had too many codes this hour. The page says the same either way."""
    req = find_by_code(code)
    key = phone_index(e164) or ""
    if req is None or not req.is_open or not req.phone_index or req.phone_index != key:
        return None
    recent = db.session.scalar(select(func.count(VerificationCode.id)).where(
        VerificationCode.phone_index == key,
        VerificationCode.created_at > utcnow() - timedelta(hours=1))) or 0
    if recent >= MAX_CODES_PER_HOUR:
        return None
    secret = f"{secrets.randbelow(10**6):06d}"
    row = VerificationCode(phone=e164, phone_index=key, purpose=WITHDRAW_PURPOSE,
                           code_hash=code_hash(key, WITHDRAW_PURPOSE, secret),
                           choices=str(req.id), expires_at=utcnow() + CODE_TTL)
    db.session.add(row)
    db.session.commit()
    with force_locale(req.language if req.language in ("en", "es") else "en"):
        text = _("%(network)s: your code to withdraw request %(ref)s is %(code)s. If you did "
                 "not ask, ignore this text.", network=current_settings().network_name,
                 ref=req.code, code=secret)
    queue_sms(e164, text, purpose="verification", validity_period=int(CODE_TTL.total_seconds()))
    return row.id


def withdraw_request(request_id: int) -> bool:
    """Close the request as withdrawn and erase what the person told us now, not after the
    retention period: they asked us to stop. Counts (category, area, dates) stay."""
    req = db.session.get(HelpRequest, request_id)
    if req is None or not req.is_open:
        return False
    _move(req, State.WITHDRAWN, None)
    owndata.forget(registry.REQUESTER, req, reason="by requester")  # commits
    return True
