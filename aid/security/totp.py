"""Time-based one-time codes (RFC 6238) for coordinators and admins, each code usable once."""

from __future__ import annotations

import hashlib
import io
import secrets
import time
from typing import Any

import pyotp
import segno
from sqlalchemy import or_
from sqlalchemy.orm.attributes import set_committed_value

from aid.security import onetime

ISSUER = "Aid"
RECOVERY_CODE_COUNT = 10
_RECOVERY_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"  # no 0/o, 1/l/i look-alikes


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(secret: str, account: str, issuer: str = ISSUER) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=account, issuer_name=issuer)


def qr_svg(uri: str) -> str:
    """The enrolment QR code drawn on the server, as inline SVG (no script, no third party)."""
    out = io.BytesIO()
    segno.make(uri, error="m").save(out, kind="svg", scale=5, border=2, xmldecl=False,
                                    svgns=True, title="QR code", dark="#000", light="#fff")
    return out.getvalue().decode()


def matching_step(
    secret: str, code: str, last_step: int | None, now: float | None = None
) -> int | None:
    """The time step a code belongs to (allowing one step of clock drift), or None.

    A step at or before `last_step` is refused, so a code seen over a shoulder or replayed from
    a phished page cannot be used a second time.
    """
    code = "".join(code.split())
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(secret)
    now = time.time() if now is None else now
    current = totp.timecode(now)
    for step in (current - 1, current, current + 1):
        if last_step is not None and step <= last_step:
            continue
        if secrets.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def use_code(account: Any, code: str, *, confirmed: bool = True,
             now: float | None = None) -> bool:
    """The single-use step: True when `code` is right for `account` and this call spent it.

    `account` is any row with `id`, `totp_secret`, `totp_confirmed` and `totp_last_step`
    (enrolment passes `confirmed=False`). The step is recorded with a conditional UPDATE, so
    of several parallel sign-ins with one code exactly one gets in. The caller commits.
    """
    if not account.totp_secret or (confirmed and not account.totp_confirmed):
        return False
    step = matching_step(account.totp_secret, code, account.totp_last_step, now)
    if step is None:
        return False
    model = type(account)
    column = model.totp_last_step
    if not onetime.claim(model, account.id, or_(column.is_(None), column < step),
                         totp_last_step=step):
        return False
    set_committed_value(account, "totp_last_step", step)
    return True


def new_recovery_codes() -> list[str]:
    codes = []
    for _ in range(RECOVERY_CODE_COUNT):
        raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(10))
        codes.append(f"{raw[:5]}-{raw[5:]}")
    return codes


def hash_recovery_code(code: str) -> str:
    # Recovery codes carry ~49 bits of randomness each, so a fast hash is enough.
    return hashlib.sha256(normalise_recovery_code(code).encode()).hexdigest()


def normalise_recovery_code(code: str) -> str:
    return "".join(ch for ch in code.lower() if ch.isalnum())
