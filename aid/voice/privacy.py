"""What the voice hotline keeps about people, registered with privacy.

- The call log and ended blocks are purged after the "calls" retention period.
- Voicemails go with their request: the foreign key cascades when the hotline purges,
  wipes or deletes a request, and a withdrawn request's voicemails are deleted here.
- A person's own data: the calls they answered or made back (times and outcomes, no
  numbers); a withdrawn request forgets the caller's number in the call log.
- An area wipe takes the calls linked to that area's requests.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, or_, select, update

from aid.extensions import db
from aid.hotline.models import HelpRequest
from aid.privacy import registry
from aid.privacy.owndata import when
from aid.privacy.service import count, delete_where
from aid.voice.models import IN_PROGRESS, Block, VoiceCall, Voicemail

CALLS = ("voice_calls", "voice_blocks")

registry.not_covered("voice_voicemails", registry.PURGE,
                     "deleted with its request (foreign key cascade), on the requests' schedule")
registry.not_covered("voice_blocks", registry.OWN_DATA,
                     "a block protects the line from a harasser; it holds no account and "
                     "expires by itself")
registry.not_covered("voice_blocks", registry.AREA_WIPE,
                     "a block is not filed by area; the full wipe empties it")


@registry.on_purge("calls", tables=CALLS)
def purge_calls(cutoff: datetime, dry_run: bool = False) -> int:
    """Calls that ended before `cutoff`, and blocks that ended (expired or lifted) before it."""
    calls = delete_where(VoiceCall, VoiceCall.outcome.notin_([str(o) for o in IN_PROGRESS])
                         & (VoiceCall.started_at <= cutoff), dry_run)
    ended = or_(Block.expires_at <= cutoff, Block.lifted_at <= cutoff)
    return calls + delete_where(Block, ended, dry_run)


@registry.on_export(registry.ACCOUNT, tables=("voice_calls",))
def export_calls(user: Any) -> dict[str, Any]:
    rows = db.session.execute(
        select(VoiceCall.direction, VoiceCall.outcome, VoiceCall.started_at,
               VoiceCall.duration_seconds, HelpRequest.code)
        .outerjoin(HelpRequest, HelpRequest.id == VoiceCall.request_id)
        .where(VoiceCall.staff_id == user.id).order_by(VoiceCall.id.desc()).limit(5000))
    return {"hotline_calls_you_took_or_made": [
        {"direction": d, "outcome": o, "at": when(at), "seconds": s, "request": code}
        for d, o, at, s, code in rows]}


@registry.on_forget(registry.REQUESTER, tables=("voice_calls", "voice_voicemails"))
def forget_caller(req: Any, _reason: str) -> None:
    """A withdrawn request: its voicemails go, and its calls forget the number."""
    db.session.execute(delete(Voicemail).where(Voicemail.request_id == req.id))
    db.session.execute(update(VoiceCall).where(VoiceCall.request_id == req.id)
                       .values(phone=None, phone_index=None))


@registry.on_area_wipe(tables=("voice_calls", "voice_voicemails"))
def wipe_area(area_id: int) -> dict[str, int]:
    requests = select(HelpRequest.id).where(HelpRequest.area_id == area_id)
    voicemails = count(select(Voicemail.id).where(Voicemail.request_id.in_(requests)))
    calls = count(select(VoiceCall.id).where(VoiceCall.request_id.in_(requests)))
    db.session.execute(delete(Voicemail).where(Voicemail.request_id.in_(requests)))
    db.session.execute(delete(VoiceCall).where(VoiceCall.request_id.in_(requests)))
    return {"voice_voicemails": voicemails, "voice_calls": calls}
