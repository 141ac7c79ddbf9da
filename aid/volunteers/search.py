"""Finding volunteers: by status, skill, language, area and availability.

Filters are plain query-string parameters, so a saved filter is a URL ("vetted, Spanish,
Riverside, free Tuesday mornings"); the bulk texts feature uses the same filters to pick its
recipients. Only codes are compared (skills, languages, slots are stored as comma-separated
codes, never personal values): nothing is decrypted to filter.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import Select, func, literal, select
from sqlalchemy.orm import joinedload, selectinload

from aid.auth.models import Role, Status, User
from aid.volunteers.choices import AVAILABILITY, LANGUAGE_LABELS, SKILL_LABELS
from aid.volunteers.models import VolunteerProfile, volunteer_areas

STATUSES = ("applied", "vetted", "suspended")


def _has_code(column: Any, code: str) -> Any:
    """`code` is one of the comma-separated codes of `column` (codes hold no commas)."""
    return (literal(",") + func.coalesce(column, "") + literal(",")).contains(f",{code},")


@dataclass
class VolunteerFilters:
    status: str = "vetted"
    skill: str = ""
    language: str = ""
    area: str = ""
    availability: str = ""

    @classmethod
    def from_args(cls, args: Any) -> VolunteerFilters:
        """Only values a filter can hold get through: the rest is dropped, never queried."""
        f = cls(**{k: str(args.get(k, getattr(cls, k)))[:20].strip()
                   for k in cls.__dataclass_fields__})
        if f.status not in (*STATUSES, "all"):
            f.status = "vetted"
        if f.skill not in SKILL_LABELS:
            f.skill = ""
        if f.language not in LANGUAGE_LABELS:
            f.language = ""
        if not (f.area.isascii() and f.area.isdigit()):
            f.area = ""
        if f.availability not in AVAILABILITY:
            f.availability = ""
        return f

    def args(self) -> dict[str, str]:
        """The filters as query-string parameters (what a saved filter's URL carries)."""
        return {k: v for k, v in asdict(self).items() if v}

    def active(self) -> bool:
        return any(v for k, v in asdict(self).items() if k != "status")


def volunteers_query(f: VolunteerFilters) -> Select[Any]:
    """Volunteer profiles (not offboarded) matching every filter, newest first."""
    query = (select(VolunteerProfile).join(User, User.id == VolunteerProfile.user_id)
             .options(joinedload(VolunteerProfile.user), selectinload(VolunteerProfile.areas))
             .where(User.role == Role.VOLUNTEER, VolunteerProfile.offboarded_at.is_(None)))
    if f.status in STATUSES:
        query = query.where(User.status == Status(f.status))
    if f.skill:
        query = query.where(_has_code(VolunteerProfile.skills, f.skill))
    if f.language:
        query = query.where(_has_code(VolunteerProfile.languages, f.language))
    if f.availability:
        query = query.where(_has_code(VolunteerProfile.availability, f.availability))
    if f.area:
        query = query.where(select(volunteer_areas.c.profile_id).where(
            volunteer_areas.c.profile_id == VolunteerProfile.id,
            volunteer_areas.c.area_id == int(f.area)).exists())
    return query.order_by(VolunteerProfile.created_at.desc(), VolunteerProfile.id.desc())
