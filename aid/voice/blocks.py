"""The ban list: numbers that harass the line. Calls from them are rejected and their texts
ignored (STOP and HELP are still answered: see `aid.sms.router.always_answered`). A block
expires unless a coordinator renews it; every block, renewal and lift is audited, without the
number. Coordinators block the caller of a call from the call log without ever seeing the
number, or a number they were given."""

from __future__ import annotations

from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from aid.auth.models import User
from aid.errors import Conflict
from aid.extensions import db
from aid.phones import phone_index
from aid.security import audit
from aid.timeutil import utcnow
from aid.voice.models import Block, VoiceCall

DAY_CHOICES = (7, 30, 90, 365)
NO_NUMBER = _l("This call came from a withheld number: there is nothing to block.")
ENDED = _l("This block has already ended.")


def active_block(phone: str) -> Block | None:
    return db.session.scalar(select(Block).where(
        Block.phone_index == phone_index(phone), Block.lifted_at.is_(None),
        Block.expires_at > utcnow()).order_by(Block.expires_at.desc()).limit(1))


def is_blocked(phone: str) -> bool:
    """Whether calls and texts from this E.164 number are refused now."""
    return bool(phone) and active_block(phone) is not None


def _days(days: int) -> int:
    return days if days in DAY_CHOICES else DAY_CHOICES[0]


def block_number(phone: str, actor: User, days: int, call: VoiceCall | None = None) -> Block:
    """Block `phone` (E.164) for `days`; an existing block is extended instead."""
    until = utcnow() + timedelta(days=_days(days))
    block = active_block(phone)
    if block is not None:
        block.expires_at = max(block.expires_at, until)
        audit.record("voice.block_renewed", "voice_block", block.id, f"{_days(days)} days",
                     actor_id=actor.id)
    else:
        block = Block(phone=phone, phone_index=phone_index(phone), created_by_id=actor.id,
                      call_id=call.id if call else None, expires_at=until)
        db.session.add(block)
        db.session.flush()
        audit.record("voice.blocked", "voice_block", block.id,
                     f"{_days(days)} days" + (f", call {call.id}" if call else ""),
                     actor_id=actor.id)
    db.session.commit()
    return block


def block_caller(call: VoiceCall, actor: User, days: int) -> Block:
    if not call.phone:
        raise Conflict("withheld number", NO_NUMBER)
    return block_number(call.phone, actor, days, call)


def renew(block: Block, actor: User, days: int) -> None:
    if block.lifted_at is not None:
        raise Conflict("lifted", ENDED)
    block.expires_at = max(block.expires_at, utcnow()) + timedelta(days=_days(days))
    audit.record("voice.block_renewed", "voice_block", block.id, f"{_days(days)} days",
                 actor_id=actor.id)
    db.session.commit()


def lift(block: Block, actor: User) -> None:
    if block.lifted_at is not None:
        raise Conflict("lifted", ENDED)
    block.lifted_at = utcnow()
    audit.record("voice.block_lifted", "voice_block", block.id, actor_id=actor.id)
    db.session.commit()


def current_blocks() -> list[Block]:
    """Blocks in force, those ending soonest first."""
    return list(db.session.scalars(select(Block).where(
        Block.lifted_at.is_(None), Block.expires_at > utcnow())
        .order_by(Block.expires_at, Block.id).limit(500)))
