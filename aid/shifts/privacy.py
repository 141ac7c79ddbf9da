"""What shifts keep about a person: their places on shifts and the reports they wrote."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from aid.auth.models import User
from aid.extensions import db
from aid.privacy import registry
from aid.privacy.owndata import when
from aid.shifts.models import Shift, ShiftReport, Signup
from aid.shifts.signups import withdraw_everywhere

for _table in ("shifts", "shift_reports"):
    registry.not_covered(_table, registry.PURGE,
                         "no retention period for shifts yet: kept until a wipe (see issue 12)")
registry.not_covered("shifts", registry.OWN_DATA,
                     "the network's plan written by coordinators, not about one person; a "
                     "volunteer's places are exported and deleted through shift_signups")


@registry.on_export(registry.ACCOUNT, tables=("shift_signups", "shift_reports"))
def export_shifts(user: User) -> dict[str, Any]:
    return {
        "shifts": [
            {"shift": shift.id, "starts_at": when(shift.starts_at), "status": signup.status}
            for signup, shift in db.session.execute(
                select(Signup, Shift).join(Shift, Shift.id == Signup.shift_id)
                .where(Signup.user_id == user.id).order_by(Shift.starts_at))],
        "shift_reports_you_wrote": [
            {"shift": r.shift_id, "summary": r.summary, "follow_ups": r.follow_ups}
            for r in db.session.scalars(select(ShiftReport)
                                        .where(ShiftReport.author_id == user.id))],
    }


@registry.on_forget(registry.ACCOUNT, tables=("shift_signups",), order=10)
def free_places(user: User, _reason: str) -> None:
    """Their upcoming places go to whoever waits (commits per shift); past signups go with
    the account (ON DELETE CASCADE)."""
    withdraw_everywhere(user)


@registry.on_area_wipe(tables=("shifts", "shift_signups", "shift_reports"))
def wipe_area(area_id: int) -> dict[str, int]:
    shifts = list(db.session.scalars(select(Shift).where(Shift.area_id == area_id)))
    for shift in shifts:
        db.session.delete(shift)  # signups and reports go with it
    return {"shifts": len(shifts)}


