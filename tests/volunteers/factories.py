"""One-line test data for volunteers and shifts."""

from __future__ import annotations

from datetime import datetime, timedelta
from itertools import count

from aid.auth.models import Status, User
from aid.extensions import db
from aid.network import service as network
from aid.network.models import Area
from aid.shifts import service as shifts
from aid.shifts.models import Shift
from aid.timeutil import utcnow
from aid.volunteers import service as volunteers
from aid.volunteers.service import ProfileData
from tests.helpers import PASSWORD

_n = count(1)


def area(name: str = "Eastside") -> Area:
    existing = db.session.scalar(db.select(Area).where(Area.name == name))
    return existing or network.add_area(name)


def volunteer(status: str = Status.VETTED, name: str | None = None,
              languages: tuple[str, ...] = ("en", "es"), phone: str = "+12025550100") -> User:
    n = next(_n)
    data = ProfileData(display_name=name or f"Volunteer {n}", phone=phone,
                       languages=list(languages), skills=["accompaniment"],
                       area_ids=[area().id], availability=["mon-am"],
                       referral="Rosa from the church group can vouch")
    user = volunteers.sign_up(f"vol{n}@example.org", PASSWORD, data)
    user.status = str(status)
    db.session.commit()
    return user


def shift(coordinator: User, *, starts_at: datetime | None = None, needed: int = 2,
          status: str = "open", minutes: int = 120, place: str = "Side door of 12 Elm St",
          kind: str = "court") -> Shift:
    data = shifts.ShiftData(
        kind=kind, status=status, starts_at=starts_at or utcnow() + timedelta(days=1),
        duration_minutes=minutes, area_id=area().id, needed=needed, skills=["interpreter"],
        languages=["es"], summary="Accompany a parent to a hearing", meeting_place=place)
    return shifts.create_shift(data, coordinator)
