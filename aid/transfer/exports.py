"""CSV exports for admins: requests, volunteers, shifts, shift rosters.

Without personal columns an export holds what a database dump would show anyway (codes,
categories, areas, states, dates, counts). With them (names, phones, emails, what people
wrote, meeting places) the admin confirms their password and a fresh authenticator code
first; the view checks that, the audit row says which export and whether it was personal,
never a value. Every cell goes through `csvfile.escape` (formula injection).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from aid.auth.models import Role, User
from aid.extensions import db
from aid.hotline.models import HelpRequest
from aid.network.models import Area
from aid.security import audit
from aid.shifts.models import Shift, Signup
from aid.timeutil import to_local
from aid.transfer import csvfile
from aid.volunteers.models import VolunteerProfile

MAX_ROWS = 20_000


@dataclass(frozen=True)
class Export:
    label: object
    headers: tuple[str, ...]
    personal_headers: tuple[str, ...]
    rows: Callable[[bool], Iterable[Sequence[object]]]


def _when(value: object) -> str:
    return to_local(value).strftime("%Y-%m-%d %H:%M") if value else ""  # type: ignore[arg-type]


def _areas() -> dict[int, str]:
    return {a.id: a.name for a in db.session.scalars(select(Area))}


def _requests(personal: bool) -> Iterable[Sequence[object]]:
    areas = _areas()
    for r in db.session.scalars(select(HelpRequest).order_by(HelpRequest.id).limit(MAX_ROWS)):
        row: list[object] = [r.code, r.status, r.category, r.urgency, areas.get(r.area_id or 0, ""),
                             r.language, r.channel, _when(r.created_at), _when(r.ended_at)]
        if personal:
            row += [r.name or "", r.phone or "", r.details or ""]
        yield row


def _volunteers(personal: bool) -> Iterable[Sequence[object]]:
    query = (select(VolunteerProfile).join(User, User.id == VolunteerProfile.user_id)
             .options(joinedload(VolunteerProfile.user), selectinload(VolunteerProfile.areas))
             .where(User.role == Role.VOLUNTEER).order_by(VolunteerProfile.id).limit(MAX_ROWS))
    for p in db.session.scalars(query):
        row: list[object] = [p.user_id, p.user.status, p.languages, p.skills,
                             ", ".join(a.name for a in p.areas), p.availability,
                             _when(p.created_at), "yes" if p.offboarded_at else ""]
        if personal:
            row += [p.user.display_name, p.user.email, p.phone]
        yield row


def _shifts(personal: bool) -> Iterable[Sequence[object]]:
    areas = _areas()
    for s in db.session.scalars(select(Shift).order_by(Shift.starts_at).limit(MAX_ROWS)):
        row: list[object] = [s.id, s.kind, s.status, _when(s.starts_at), s.duration_minutes,
                             areas.get(s.area_id, ""), s.needed, s.skills_wanted,
                             s.languages_wanted]
        if personal:
            row += [s.summary, s.meeting_place]
        yield row


def _rosters(personal: bool) -> Iterable[Sequence[object]]:
    query = (select(Signup).options(joinedload(Signup.shift), joinedload(Signup.user))
             .join(Shift, Shift.id == Signup.shift_id)
             .order_by(Shift.starts_at, Signup.shift_id, Signup.id).limit(MAX_ROWS))
    phones: dict[int, str] = {}
    if personal:
        phones = {p.user_id: p.phone for p in db.session.scalars(select(VolunteerProfile))}
    for s in db.session.scalars(query):
        row: list[object] = [s.shift_id, s.shift.kind, _when(s.shift.starts_at), s.user_id,
                             s.status, _when(s.checked_in_at), _when(s.checked_out_at)]
        if personal:
            row += [s.user.display_name, phones.get(s.user_id, "")]
        yield row


EXPORTS: dict[str, Export] = {
    "requests": Export(_l("Help requests"), (
        "code", "status", "category", "urgency", "area", "language", "channel", "created",
        "ended"), ("name", "phone", "details"), _requests),
    "volunteers": Export(_l("Volunteers"), (
        "id", "status", "languages", "skills", "areas", "availability", "signed_up",
        "offboarded"), ("name", "email", "phone"), _volunteers),
    "shifts": Export(_l("Shifts"), (
        "id", "kind", "status", "starts", "minutes", "area", "needed", "skills", "languages"),
        ("summary", "meeting_place"), _shifts),
    "rosters": Export(_l("Shift rosters"), (
        "shift", "kind", "starts", "volunteer_id", "status", "checked_in", "checked_out"),
        ("name", "phone"), _rosters),
}


def make(kind: str, personal: bool, actor: User) -> str:
    """The CSV text of one export, audited. The caller checked the step-up for `personal`."""
    spec = EXPORTS[kind]
    headers = spec.headers + (spec.personal_headers if personal else ())
    text = csvfile.write(headers, spec.rows(personal))
    audit.record("export.made", None, None, f"{kind} {'personal' if personal else 'counts'}",
                 actor_id=actor.id)
    db.session.commit()
    return text
