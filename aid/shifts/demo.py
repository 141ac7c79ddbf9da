"""Upcoming shifts for `aid demo`: four open in the coming days, Rosa on two, one draft."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, time, timedelta

from sqlalchemy import select

from aid.auth import service as accounts
from aid.extensions import db
from aid.network.models import Area
from aid.shifts import service as shifts
from aid.shifts import signups
from aid.shifts.models import Shift
from aid.timeutil import from_local, to_local, utcnow


def create_demo() -> Iterator[str]:
    """Runs after the volunteers' demo, which gives Rosa the profile a place needs."""
    areas = {a.name: a.id for a in db.session.scalars(select(Area))}
    rosa = accounts.find_by_email("rosa@demo.example")
    coordinator = accounts.find_by_email("coord@demo.example")
    if coordinator is None or db.session.scalar(select(Shift.id).limit(1)):
        return
    today = to_local(utcnow()).date()
    plan = [
        (1, time(9, 0), "court", "Eastside", 150, "Family court hearing; Spanish interpreter "
         "needed", "County courthouse, 3rd floor, bench outside room 302"),
        (2, time(7, 30), "ice_checkin", "Riverside", 120, "Accompany a father to his "
         "check-in", "Coffee shop across from the field office, 7:15"),
        (3, time(8, 0), "school_walk", "Old Town", 60, "Walk children to school during "
         "the week of raids", "Corner of the park by the library"),
        (5, time(18, 0), "patrol", "Market District", 120, "Evening watch near the market",
         "Back of the community centre"),
    ]
    for days, start, kind, area_name, minutes, summary, place in plan:
        starts = from_local(datetime.combine(today + timedelta(days=days), start))
        shift = shifts.create_shift(shifts.ShiftData(
            kind=kind, status="open", starts_at=starts, duration_minutes=minutes,
            area_id=areas[area_name], needed=None,
            skills=["interpreter"] if kind == "court" else [],
            languages=["es"] if kind in ("court", "ice_checkin") else [],
            summary=summary, meeting_place=place), coordinator)
        if rosa and kind in ("court", "patrol"):
            signups.sign_up(shift.id, rosa)
    shifts.create_shift(shifts.ShiftData(
        kind="medical", status="draft",
        starts_at=from_local(datetime.combine(today + timedelta(days=4), time(14, 0))),
        duration_minutes=90, area_id=areas["Southgate"], needed=None, skills=["medical"],
        languages=[], summary="Clinic visit, details to confirm", meeting_place=""),
        coordinator)
    yield "Shifts: four open in the coming days (Rosa holds two), one draft"
