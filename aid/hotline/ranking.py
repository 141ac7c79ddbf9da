"""Who to assign a request to: vetted people ranked by what helps this request.

Each person scores points for speaking the request's language, covering its area, being free
at its time (the slots they ticked at sign-up), and having a skill its category calls for,
and loses a point per open request they already hold (up to five). Ties go to the lighter
load, then to the name. Every point is shown as a reason ("speaks Spanish · Riverside · free
Tue morning · 1 open"), so a coordinator can see why and overrule it.

The request's time is the start of its next linked accompaniment shift if it has one, else
the moment it came in (in the network's zone): a request left at 8 on a Tuesday morning is
likely best answered by someone free on Tuesday mornings.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from babel import Locale
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from aid.auth.models import Role, Status, User
from aid.extensions import db
from aid.hotline.models import OPEN_STATES, Category, HelpRequest
from aid.network.service import area_names
from aid.shifts.models import Shift, ShiftStatus
from aid.timeutil import to_local, utcnow, weekday
from aid.volunteers.choices import LANGUAGE_LABELS, SKILL_LABELS
from aid.volunteers.models import VolunteerProfile

# A shared language outweighs all the rest together: without it nobody can help.
POINTS = {"language": 10, "area": 4, "free": 3, "skill": 2}
MAX_LOAD_PENALTY = 5

# The skills a category of request calls for (codes of aid.volunteers.choices.SKILLS).
CATEGORY_SKILLS: dict[str, tuple[str, ...]] = {
    Category.LEGAL: ("legal_observer", "interpreter"),
    Category.MEDICAL: ("medical", "interpreter"),
    Category.ACCOMPANIMENT: ("accompaniment", "driver", "interpreter"),
    Category.SAFETY: ("legal_observer", "accompaniment"),
    Category.FOOD: ("driver",),
    Category.HOUSING: (),
    Category.MONEY: (),
    Category.OTHER: (),
}
PART_WORDS = {"am": _l("morning"), "pm": _l("afternoon"), "eve": _l("evening")}


@dataclass(frozen=True)
class Facts:
    """What ranking needs to know of a request."""

    language: str
    area_id: int | None
    category: str
    moment: datetime  # naive UTC


@dataclass(frozen=True)
class Person:
    """What ranking needs to know of a person (no phone, nothing personal beyond the name)."""

    user_id: int
    name: str
    languages: tuple[str, ...] = ()
    area_ids: tuple[int, ...] = ()
    availability: tuple[str, ...] = ()
    skills: tuple[str, ...] = ()
    open_count: int = 0


@dataclass
class Ranked:
    user: User
    score: int
    reasons: list[str] = field(default_factory=list)

    @property
    def why(self) -> str:
        return " · ".join(self.reasons)


def slot_of(moment: datetime) -> str:
    """A stored UTC time as an availability slot of the sign-up form ("tue-am")."""
    local = to_local(moment)
    part = "am" if local.hour < 12 else "pm" if local.hour < 17 else "eve"
    return f"{('mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun')[local.weekday()]}-{part}"


def score(facts: Facts, person: Person) -> tuple[int, dict[str, bool]]:
    """Points for one person, and which of the reasons hold."""
    wanted = CATEGORY_SKILLS.get(facts.category, ())
    holds = {
        "language": facts.language in person.languages,
        "area": facts.area_id is not None and facts.area_id in person.area_ids,
        "free": slot_of(facts.moment) in person.availability,
        "skill": any(s in person.skills for s in wanted),
    }
    points = sum(POINTS[k] for k, ok in holds.items() if ok)
    return points - min(person.open_count, MAX_LOAD_PENALTY), holds


def order(facts: Facts, people: Iterable[Person]) -> list[tuple[Person, int, dict[str, bool]]]:
    """People best first: most points, then fewest open requests, then by name."""
    scored = [(p, *score(facts, p)) for p in people]
    return sorted(scored, key=lambda row: (-row[1], row[0].open_count, row[0].name.casefold(),
                                           row[0].user_id))


def language_name(code: str) -> str:
    """"Spanish" on an English page, "español" on a Spanish one."""
    locale = get_locale() or Locale("en")
    return locale.languages.get(code) or str(LANGUAGE_LABELS.get(code, code))


def reasons(facts: Facts, person: Person, holds: dict[str, bool],
            area_names: dict[int, str]) -> list[str]:
    said = []
    if holds["language"]:
        said.append(_("speaks %(language)s", language=language_name(facts.language)))
    if holds["area"] and facts.area_id in area_names:
        said.append(area_names[facts.area_id])
    if holds["free"]:
        slot = slot_of(facts.moment)
        said.append(_("free %(day)s %(part)s", day=weekday(to_local(facts.moment)),
                      part=PART_WORDS[slot.split("-")[1]]))
    if holds["skill"]:
        wanted = CATEGORY_SKILLS.get(facts.category, ())
        said.extend(str(SKILL_LABELS[s]) for s in wanted if s in person.skills)
    said.append(ngettext("%(num)d open", "%(num)d open", person.open_count))
    return said


# -- reading the database -----------------------------------------------------------------

def facts_of(req: HelpRequest) -> Facts:
    """The request's facts, its time being its next linked shift's start or when it came."""
    next_shift = db.session.scalar(
        select(func.min(Shift.starts_at)).where(
            Shift.request_id == req.id, Shift.status != ShiftStatus.CANCELLED,
            Shift.starts_at >= utcnow()))
    return Facts(language=req.language, area_id=req.area_id, category=req.category,
                 moment=next_shift or req.created_at)


def open_counts(user_ids: list[int]) -> dict[int, int]:
    if not user_ids:
        return {}
    rows = db.session.execute(
        select(HelpRequest.assignee_id, func.count()).where(
            HelpRequest.assignee_id.in_(user_ids),
            HelpRequest.status.in_([str(s) for s in OPEN_STATES]))
        .group_by(HelpRequest.assignee_id))
    return {user_id: n for user_id, n in rows}


def ranked_for(req: HelpRequest) -> list[Ranked]:
    """Vetted volunteers and coordinators, best first, each with why. Six queries whatever
    the number of people: the people, their profiles and areas, their loads, the request's
    next shift, and the area names."""
    users = list(db.session.scalars(select(User).where(
        User.status == Status.VETTED, User.role.in_([Role.VOLUNTEER, Role.COORDINATOR]))))
    ids = [u.id for u in users]
    profiles: dict[int, VolunteerProfile] = {}
    if ids:
        profiles = {p.user_id: p for p in db.session.scalars(
            select(VolunteerProfile).options(selectinload(VolunteerProfile.areas))
            .where(VolunteerProfile.user_id.in_(ids), VolunteerProfile.offboarded_at.is_(None)))}
    loads = open_counts(ids)
    by_id = {u.id: u for u in users}
    people = []
    for user in users:
        profile = profiles.get(user.id)
        people.append(Person(
            user_id=user.id, name=user.display_name,
            languages=tuple(profile.language_list) if profile else (),
            area_ids=tuple(a.id for a in profile.areas) if profile else (),
            availability=tuple(profile.availability_list) if profile else (),
            skills=tuple(profile.skill_list) if profile else (),
            open_count=loads.get(user.id, 0)))
    facts = facts_of(req)
    names = area_names()
    return [Ranked(user=by_id[p.user_id], score=points,
                   reasons=reasons(facts, p, holds, names))
            for p, points, holds in order(facts, people)]
