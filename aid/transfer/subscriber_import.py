"""Importing alert subscribers from another texting service's export.

Consent cannot be imported: every number the dry run accepts gets one text asking whether it
wants our alerts (`aid.sms.invitations`), and is subscribed only once it answers YES. Numbers
that opted out, already subscribe, or were invited already are refused and never texted.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l

from aid.auth.models import User
from aid.errors import Conflict
from aid.labels import Labels
from aid.network.service import active_areas, current_settings
from aid.phones import BadPhone, normalise_phone
from aid.security.crypto import blind_index
from aid.sms import invitations
from aid.sms.subscriptions import Choices
from aid.transfer.csvfile import Table
from aid.transfer.volunteer_import import _SPLIT, Refused, _cell

FIELDS = ("phone", "language", "areas")
REQUIRED = ("phone",)
FIELD_LABELS = Labels({"phone": _l("Phone"), "language": _l("Language"), "areas": _l("Areas")})
REFUSALS = {
    invitations.Refusal.OPTED_OUT: _l("this number opted out of our texts"),
    invitations.Refusal.SUBSCRIBED: _l("this number already gets our alerts"),
    invitations.Refusal.INVITED: _l("this number was already invited"),
}
LANGUAGE_WORDS = {"es": "es", "spanish": "es", "español": "es", "espanol": "es",
                  "en": "en", "english": "en", "inglés": "en", "ingles": "en"}


def guess_mapping(headers: list[str]) -> dict[str, str]:
    hints = {"phone": ("phone", "number", "tel", "mobile", "cell", "número", "celular"),
             "language": ("lang", "idioma"), "areas": ("area", "tag", "group", "zona")}
    mapping: dict[str, str] = {}
    for name, words in hints.items():
        for i, header in enumerate(headers):
            if any(w in header.lower() for w in words) and str(i) not in mapping.values():
                mapping[name] = str(i)
                break
    return mapping


@dataclass
class NewInvite:
    line: int
    phone: str
    language: str
    area_ids: list[int]


@dataclass
class Plan:
    create: list[NewInvite]
    refused: list[Refused]

    @property
    def digest(self) -> str:
        facts = [[p.line, p.phone, p.language, p.area_ids] for p in self.create]
        return blind_index(json.dumps(facts), "subscriber_import") or ""


def plan(table: Table, mapping: dict[str, str]) -> Plan:
    areas = {a.name.lower(): a.id for a in active_areas()}
    region = current_settings().default_region
    seen: set[str] = set()
    result = Plan([], [])
    for line, cells in table.rows:
        reasons: list[Any] = []
        raw = _cell(cells, mapping, "phone")
        try:
            phone = normalise_phone(raw, region) if raw else ""
        except BadPhone:
            phone = ""
        if not phone:
            reasons.append(_l("the phone number is missing or not valid"))
        elif phone in seen:
            reasons.append(_l("the same phone number is on an earlier line"))
        else:
            why = invitations.refusal(phone)
            if why:
                reasons.append(REFUSALS[why])
        language = LANGUAGE_WORDS.get(_cell(cells, mapping, "language").lower(), "en")
        area_ids = []
        for part in _SPLIT.split(_cell(cells, mapping, "areas")):
            key = " ".join(part.split()).lower()
            if key and key in areas:
                area_ids.append(areas[key])
            elif key:
                reasons.append(_l("no area is called %(name)s", name=part.strip()[:40]))
        if phone:
            seen.add(phone)
        if reasons:
            result.refused.append(Refused(line, reasons))
        else:
            result.create.append(NewInvite(line, phone, language, sorted(set(area_ids))))
    return result


def run(table: Table, mapping: dict[str, str], expected: str, actor: User) -> int:
    """Invite exactly the dry run's numbers; Conflict (nobody texted) if anything changed."""
    found = plan(table, mapping)
    if not found.create or found.digest != expected:
        raise Conflict(message=_l("Something changed since the dry run. Check the new dry "
                                  "run, then import again."))
    return invitations.invite(
        [invitations.Invitee(p.phone, Choices(area_ids=p.area_ids, language=p.language))
         for p in found.create], actor.id)
