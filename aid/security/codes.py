"""Texted one-time codes: the one implementation of send, check, rate limits and expiry.

A feature that proves a phone is someone's (alert sign-up, managing alerts, withdrawing a help
request) calls `send` and `check` with its own purpose. The codes table is passed in (it
lives with SMS), so this module imports no feature.

What bounds the cost of a form that texts strangers (SMS pumping / toll fraud):
- only numbers in the allowed countries get a text (an admin setting; the network's own
  country unless an admin adds more);
- at most `per_number_hour` codes to one number in an hour;
- a network-wide hourly and daily budget (`AID_CODE_TEXTS_PER_HOUR`, `AID_CODE_TEXTS_PER_DAY`):
  once spent, no code is texted until the window moves on, and the admins are told once per
  window (an audit row the admin pages show, and a warning in the log).
Every refusal looks the same to the person asking: callers show one page whatever happened.

Checking spends the code with a conditional UPDATE, so of several parallel tries with the
right code exactly one succeeds.
"""

from __future__ import annotations

import base64
import hmac
import logging
import secrets
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import timedelta
from enum import Enum
from typing import Any

import phonenumbers
from flask import current_app
from sqlalchemy import func, select

from aid.extensions import db
from aid.security import audit, onetime
from aid.security.crypto import CryptoError, blind_index, keyring
from aid.timeutil import utcnow

log = logging.getLogger(__name__)
BUDGET_ACTION = "sms.code_budget_spent"
TICKET_CONTEXT = "session.code_ticket"


class CodeCheck(Enum):
    OK = "ok"
    WRONG = "wrong"
    EXPIRED = "expired"  # expired, used, too many tries, or never sent


@dataclass(frozen=True)
class CodeRules:
    ttl: timedelta = timedelta(minutes=10)
    max_attempts: int = 5
    per_number_hour: int = 3


def code_hash(key: str, purpose: str, code: str) -> str:
    return blind_index(f"{key}:{purpose}:{code}", "sms_code") or ""


def _count(model: Any, *where: Any) -> int:
    return db.session.scalar(select(func.count(model.id)).where(*where)) or 0


def in_allowed_country(e164: str, regions: Collection[str]) -> bool:
    try:
        region = phonenumbers.region_code_for_number(phonenumbers.parse(e164, None))
    except phonenumbers.NumberParseException:
        return False
    return region in {r.upper() for r in regions}


def budget_left(model: Any) -> bool:
    """Whether the network-wide budget for code texts has room; tells admins when not."""
    cfg = current_app.config
    now = utcnow()
    for hours, limit in ((1, cfg["CODE_TEXTS_PER_HOUR"]), (24, cfg["CODE_TEXTS_PER_DAY"])):
        since = now - timedelta(hours=hours)
        if limit and _count(model, model.created_at > since) >= limit:
            _tell_admins(hours, since)
            return False
    return True


def _tell_admins(hours: int, since: Any) -> None:
    told = db.session.scalar(select(audit.AuditEvent.id).where(
        audit.AuditEvent.action == BUDGET_ACTION, audit.AuditEvent.at > since).limit(1))
    if told is None:
        log.warning("verification texts paused: the %d-hour budget is spent", hours)
        audit.record(BUDGET_ACTION, detail=f"{hours} h budget", actor_id=None)
        db.session.commit()


def budget_notice() -> bool:
    """True while a budget pause from the last day is on record (admin pages show it)."""
    since = utcnow() - timedelta(hours=24)
    return db.session.scalar(select(audit.AuditEvent.id).where(
        audit.AuditEvent.action == BUDGET_ACTION, audit.AuditEvent.at > since).limit(1)) \
        is not None


def send(model: Any, e164: str, key: str, purpose: str, *, regions: Collection[str],
         rules: CodeRules, deliver: Callable[[str], None], extra: str = "") -> int | None:
    """Make a code for `purpose`, store its keyed hash, and call `deliver(code)` to text it.

    Returns the code row's id, or None (nothing texted) when a limit says no.
    """
    if not in_allowed_country(e164, regions):
        return None
    recent = _count(model, model.phone_index == key,
                    model.created_at > utcnow() - timedelta(hours=1))
    if recent >= rules.per_number_hour or not budget_left(model):
        return None
    code = f"{secrets.randbelow(10**6):06d}"
    row = model(phone=e164, phone_index=key, purpose=purpose,
                code_hash=code_hash(key, purpose, code), choices=extra,
                expires_at=utcnow() + rules.ttl)
    db.session.add(row)
    db.session.commit()
    deliver(code)
    return int(row.id)


def check(model: Any, code_id: int | None, purpose: str, typed: str,
          rules: CodeRules) -> tuple[CodeCheck, Any]:
    """Check a typed code; each try counts, even a right one after the limit. Commits."""
    row = db.session.get(model, code_id) if code_id else None
    if (row is None or row.purpose != purpose or row.used_at is not None
            or row.expires_at < utcnow() or row.attempts >= rules.max_attempts):
        return CodeCheck.EXPIRED, None
    # Count the try in the database itself, so parallel tries cannot exceed the limit.
    if not onetime.claim(model, row.id, model.attempts < rules.max_attempts,
                         attempts=model.attempts + 1):
        db.session.commit()
        return CodeCheck.EXPIRED, None
    digits = "".join(ch for ch in typed if ch.isdigit())[:6]
    if hmac.compare_digest(code_hash(row.phone_index, purpose, digits), row.code_hash):
        now = utcnow()
        won = onetime.claim(model, row.id, model.used_at.is_(None), used_at=now)
        db.session.commit()
        db.session.refresh(row)
        return (CodeCheck.OK, row) if won else (CodeCheck.EXPIRED, None)
    db.session.commit()
    db.session.refresh(row)
    return (CodeCheck.EXPIRED if row.attempts >= rules.max_attempts else CodeCheck.WRONG), None


# -- what the browser holds between asking for a code and typing it -------------------------

def ticket(code_id: int | None) -> str:
    """An encrypted stand-in for the code row's id, the same length whether or not a code
    was sent: the session cookie is signed, not encrypted, and must not tell a stranger
    whether a number subscribes or belongs to a request."""
    sealed = keyring().encrypt(f"{code_id or 0:012d}", TICKET_CONTEXT)
    return base64.urlsafe_b64encode(sealed).decode()


def ticket_id(value: Any) -> int | None:
    if not isinstance(value, str) or len(value) > 200:
        return None
    try:
        number = int(keyring().decrypt(base64.urlsafe_b64decode(value), TICKET_CONTEXT))
    except (CryptoError, ValueError, IndexError):
        return None
    return number or None
