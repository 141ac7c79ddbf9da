"""The coordinators' volunteer search: filters in the URL, so a saved filter is a link."""

from __future__ import annotations

from flask import render_template, request
from flask.typing import ResponseReturnValue

from aid.network.service import active_areas
from aid.pagination import paginate
from aid.security import access
from aid.security.access import Level
from aid.volunteers import bp
from aid.volunteers.choices import (
    AVAILABILITY,
    DAYS,
    LANGUAGE_LABELS,
    LANGUAGES,
    PARTS,
    SKILL_LABELS,
    SKILLS,
)
from aid.volunteers.search import STATUSES, VolunteerFilters, volunteers_query


def slot_labels() -> dict[str, str]:
    """"tue-am" -> "Tuesday Morning", in the reader's language."""
    days, parts = dict(DAYS), dict(PARTS)
    return {slot: f"{days[slot.split('-')[0]]} {parts[slot.split('-')[1]]}"
            for slot in AVAILABILITY}


@bp.route("/coordinator/volunteers/find")
@access.rule(Level.COORDINATOR)
def find() -> ResponseReturnValue:
    filters = VolunteerFilters.from_args(request.args)
    page = paginate(volunteers_query(filters))
    return render_template(
        "volunteers/find.html", f=filters, page=page, statuses=STATUSES, skills=SKILLS,
        languages=LANGUAGES, areas=active_areas(), slots=slot_labels(),
        language_labels=LANGUAGE_LABELS, skill_labels=SKILL_LABELS)
