"""Importing volunteers from a Google Forms / Sheets export.

Three steps, one rule set: the coordinator maps the file's columns to our fields, a dry run
lists who would be created and which lines are refused and why, and the import creates
exactly what the dry run listed (it recomputes the plan and refuses when anything changed
in between, e.g. someone signed up with one of the emails meanwhile). Duplicates are found
through the blind indexes (email, phone), never by decrypting anyone. Imported people start
as applicants; a coordinator who knows them may mark them vetted, with a recorded reason
(kept as the coordinator's vouch, encrypted like every vouch note).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from aid.auth import service as accounts
from aid.auth.models import Role, Status, User
from aid.errors import Conflict
from aid.extensions import db
from aid.labels import Labels
from aid.network.service import active_areas, current_settings
from aid.phones import BadPhone, normalise_phone, phone_index
from aid.security import audit
from aid.security.crypto import blind_index
from aid.transfer.csvfile import Table
from aid.volunteers import service as volunteers
from aid.volunteers.choices import DAYS, LANGUAGES, PARTS, SKILLS
from aid.volunteers.models import VolunteerProfile, Vouch

FIELDS = ("name", "email", "phone", "languages", "skills", "areas", "availability")
REQUIRED = ("name", "email", "phone")
FIELD_LABELS = Labels({
    "name": _l("Name"), "email": _l("Email"), "phone": _l("Phone"),
    "languages": _l("Languages"), "skills": _l("Skills"), "areas": _l("Areas"),
    "availability": _l("Availability"),
})
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_SPLIT = re.compile(r"[,;/\n]+")
LANGUAGE_WORDS = {
    "english": "en", "ingles": "en", "inglés": "en", "spanish": "es", "espanol": "es",
    "español": "es", "french": "fr", "frances": "fr", "francés": "fr", "haitian creole": "ht",
    "creole": "ht", "kreyol": "ht", "portuguese": "pt", "portugues": "pt", "chinese": "zh",
    "mandarin": "zh", "cantonese": "zh", "arabic": "ar", "arabe": "ar", "vietnamese": "vi",
    "russian": "ru", "ruso": "ru", "sign language": "asl", "lengua de señas": "asl",
}


def guess_mapping(headers: list[str]) -> dict[str, str]:
    """A first guess from the column titles a form usually has ("Full name", "Phone")."""
    hints = {"name": ("name", "nombre"), "email": ("email", "e-mail", "correo"),
             "phone": ("phone", "tel", "cell", "móvil", "celular"),
             "languages": ("language", "idioma"), "skills": ("skill", "habilidad"),
             "areas": ("area", "neighbo", "barrio", "zona"),
             "availability": ("availab", "disponib", "when")}
    mapping: dict[str, str] = {}
    for name, words in hints.items():
        for i, header in enumerate(headers):
            if any(w in header.lower() for w in words) and str(i) not in mapping.values():
                mapping[name] = str(i)
                break
    return mapping


def _labels(pairs: list[tuple[str, Any]]) -> dict[str, str]:
    """Codes by their label in English and Spanish, and by the code itself."""
    found = {code.lower(): code for code, _ in pairs}
    for locale in ("en", "es"):
        with force_locale(locale):
            found.update({str(label).lower(): code for code, label in pairs})
    return found


def _codes(cell: str, known: dict[str, str]) -> tuple[list[str], list[str]]:
    codes, unknown = [], []
    for part in _SPLIT.split(cell):
        word = " ".join(part.split()).lower()
        if not word:
            continue
        code = known.get(word) or known.get(word.rstrip("s"))
        if code and code not in codes:
            codes.append(code)
        elif not code:
            unknown.append(part.strip())
    return codes, unknown


def _slots(cell: str) -> tuple[list[str], list[str]]:
    """"mon-am", "Tuesday mornings", "sábado tarde" -> slot codes."""
    days, parts = _labels(DAYS), _labels(PARTS)
    slots, unknown = [], []
    for part in _SPLIT.split(cell):
        words = [w.rstrip("s") for w in re.split(r"[\s-]+", part.lower()) if w]
        day = next((days.get(w) or days.get(w + "s") for w in words
                    if days.get(w) or days.get(w + "s")), None)
        when = next((parts.get(w) or parts.get(w + "s") for w in words
                     if parts.get(w) or parts.get(w + "s")), None)
        if day and when:
            if f"{day}-{when}" not in slots:
                slots.append(f"{day}-{when}")
        elif part.strip():
            unknown.append(part.strip())
    return slots, unknown


@dataclass
class NewVolunteer:
    line: int
    name: str
    email: str
    phone: str
    languages: list[str]
    skills: list[str]
    area_ids: list[int]
    availability: list[str]
    ignored: list[str] = field(default_factory=list)  # values we could not read (shown)


@dataclass
class Refused:
    line: int
    reasons: list[Any]  # lazy strings: shown in the reader's language


@dataclass
class Plan:
    create: list[NewVolunteer]
    refused: list[Refused]

    @property
    def digest(self) -> str:
        """A keyed fingerprint of what would be created: the import step must match it."""
        facts = [[p.line, p.name, p.email, p.phone, p.languages, p.skills, p.area_ids,
                  p.availability] for p in self.create]
        return blind_index(json.dumps(facts, ensure_ascii=False), "volunteer_import") or ""


def _cell(cells: list[str], mapping: dict[str, str], name: str) -> str:
    index = mapping.get(name, "")
    if not index.isdigit() or int(index) >= len(cells):
        return ""
    return cells[int(index)].strip()


def _phone_taken(e164: str) -> bool:
    return db.session.scalar(select(VolunteerProfile.id).where(
        VolunteerProfile.phone_index == phone_index(e164)).limit(1)) is not None


def plan(table: Table, mapping: dict[str, str]) -> Plan:
    """What an import of `table` with `mapping` would do; changes nothing."""
    languages, skills = _labels(LANGUAGES), _labels(SKILLS)
    languages.update(LANGUAGE_WORDS)
    areas = {a.name.lower(): a.id for a in active_areas()}
    region = current_settings().default_region
    seen_emails: set[str] = set()
    seen_phones: set[str] = set()
    result = Plan([], [])
    for line, cells in table.rows:
        reasons: list[Any] = []
        name = " ".join(_cell(cells, mapping, "name").split())[:80]
        email = accounts.normalise_email(_cell(cells, mapping, "email"))
        raw_phone = _cell(cells, mapping, "phone")
        if not name:
            reasons.append(_l("no name"))
        if not _EMAIL.match(email) or len(email) > 254:
            reasons.append(_l("the email address is missing or not valid"))
        elif email in seen_emails:
            reasons.append(_l("the same email is on an earlier line"))
        elif accounts.find_by_email(email) is not None:
            reasons.append(_l("someone with this email already has an account"))
        phone = ""
        try:
            phone = normalise_phone(raw_phone, region) if raw_phone else ""
        except BadPhone:
            phone = ""
        if not phone:
            reasons.append(_l("the phone number is missing or not valid"))
        elif phone in seen_phones:
            reasons.append(_l("the same phone number is on an earlier line"))
        elif _phone_taken(phone):
            reasons.append(_l("a volunteer with this phone number is already here"))
        area_ids, ignored = [], []
        for part in _SPLIT.split(_cell(cells, mapping, "areas")):
            key = " ".join(part.split()).lower()
            if key and key in areas:
                area_ids.append(areas[key])
            elif key:
                reasons.append(_l("no area is called %(name)s", name=part.strip()[:40]))
        langs, unknown = _codes(_cell(cells, mapping, "languages"), languages)
        ignored += unknown
        skill_codes, unknown = _codes(_cell(cells, mapping, "skills"), skills)
        ignored += unknown
        slots, unknown = _slots(_cell(cells, mapping, "availability"))
        ignored += unknown
        seen_emails.add(email)
        if phone:
            seen_phones.add(phone)
        if reasons:
            result.refused.append(Refused(line, reasons))
            continue
        result.create.append(NewVolunteer(line, name, email, phone, langs, skill_codes,
                                          sorted(set(area_ids)), slots, ignored))
    return result


def run(table: Table, mapping: dict[str, str], expected: str, actor: User,
        vetted_reason: str = "") -> list[User]:
    """Create exactly the dry run's volunteers, in one transaction. Raises Conflict (and
    creates nobody) when the plan is no longer the one the coordinator saw."""
    found = plan(table, mapping)
    if not found.create or found.digest != expected:
        raise Conflict(message=_l("Something changed since the dry run. Check the new dry "
                                  "run, then import again."))
    status = Status.VETTED if vetted_reason.strip() else Status.APPLIED
    created = []
    for person in found.create:
        user = accounts.create_user(person.email, person.name, Role.VOLUNTEER, None, status)
        profile = volunteers.add_profile(user, volunteers.ProfileData(
            display_name=person.name, phone=person.phone, languages=person.languages,
            skills=person.skills, area_ids=person.area_ids, availability=person.availability,
            referral=""))
        # They agreed to the code of conduct somewhere else, if at all: not to ours.
        profile.conduct_version = "imported"
        if status == Status.VETTED:
            db.session.add(Vouch(applicant_id=user.id, voucher_id=actor.id,
                                 note=f"Imported as vetted: {vetted_reason.strip()[:500]}"))
        audit.record("volunteer.imported", "user", user.id, str(status), actor_id=actor.id)
        created.append(user)
    audit.record("volunteer.import_done", None, None,
                 f"{len(created)} created, {len(found.refused)} refused, {status}",
                 actor_id=actor.id)
    db.session.commit()
    return created
