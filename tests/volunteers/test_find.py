"""Coordinators find volunteers by status, skill, language, area and availability."""

from __future__ import annotations

from aid.auth.models import Role, Status
from aid.extensions import db
from aid.network import service as network
from aid.volunteers import service as volunteers
from aid.volunteers.search import VolunteerFilters, volunteers_query
from aid.volunteers.service import ProfileData
from tests.helpers import PASSWORD


def _volunteer(name: str, status: str, languages: list[str], skills: list[str],
               area_ids: list[int], slots: list[str]) -> None:
    user = volunteers.sign_up(f"{name.lower()}@example.org", PASSWORD, ProfileData(
        display_name=name, phone="+12025550111", languages=languages, skills=skills,
        area_ids=area_ids, availability=slots, referral=""))
    user.status = status
    db.session.commit()


def _names(args: dict) -> set[str]:
    return {p.user.display_name for p in db.session.scalars(
        volunteers_query(VolunteerFilters.from_args(args))).unique()}


def test_filters_narrow_together_and_live_in_the_url(app, client, signed_in):
    riverside, eastside = network.add_area("Riverside"), network.add_area("Eastside")
    _volunteer("Rosa", "vetted", ["es", "en"], ["interpreter"], [riverside.id], ["tue-am"])
    _volunteer("Marta", "vetted", ["es"], ["driver"], [riverside.id, eastside.id], ["tue-pm"])
    _volunteer("Ben", "vetted", ["en"], ["driver"], [eastside.id], ["tue-am"])
    _volunteer("Luis", "applied", ["es"], ["interpreter"], [riverside.id], ["tue-am"])

    assert _names({}) == {"Rosa", "Marta", "Ben"}  # vetted by default
    assert _names({"language": "es", "area": str(riverside.id)}) == {"Rosa", "Marta"}
    assert _names({"language": "es", "availability": "tue-am"}) == {"Rosa"}
    assert _names({"skill": "driver", "area": str(eastside.id)}) == {"Marta", "Ben"}
    assert _names({"status": "applied"}) == {"Luis"}
    assert _names({"status": "all", "skill": "interpreter"}) == {"Rosa", "Luis"}
    # A value no filter can hold is dropped, never queried.
    assert _names({"skill": "' OR 1=1 --", "area": "x"}) == {"Rosa", "Marta", "Ben"}
    # "in" is inside "interpreter" but is no skill: nobody is matched by a part of a code.
    assert _names({"skill": "in"}) == {"Rosa", "Marta", "Ben"}

    signed_in(Role.COORDINATOR, Status.VETTED)
    page = client.get(f"/coordinator/volunteers/find?language=es&area={riverside.id}"
                      "&availability=tue-am")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Rosa" in html and "Marta" not in html
    assert "1 volunteer matches." in html
    assert f"/coordinator/texts/new?status=vetted&amp;language=es&amp;area={riverside.id}" in html
