"""Volunteers are ranked for a request by language, area, time, skills and load, with why."""

from __future__ import annotations

from datetime import datetime, timedelta

from aid.auth.models import Role, Status
from aid.extensions import db
from aid.hotline import ranking, service
from aid.hotline.ranking import Facts, Person
from aid.timeutil import from_local
from aid.volunteers import service as volunteers


def tuesday_morning() -> datetime:
    """A Tuesday, 9 in the morning in the network's zone (stored as UTC)."""
    return from_local(datetime(2026, 12, 1, 9, 0))


def _facts(**values) -> Facts:
    fields = {"language": "es", "area_id": 1, "category": "legal", "moment": tuesday_morning()}
    fields.update(values)
    return Facts(**fields)


def _names(facts: Facts, people: list[Person]) -> list[str]:
    return [p.name for p, _points, _holds in ranking.order(facts, people)]


def test_the_slot_of_a_time_is_the_sign_up_form_s(app):
    morning = tuesday_morning()
    assert ranking.slot_of(morning) == "tue-am"
    assert ranking.slot_of(morning + timedelta(hours=4)) == "tue-pm"
    assert ranking.slot_of(morning + timedelta(hours=9)) == "tue-eve"
    assert ranking.slot_of(morning + timedelta(days=5)) == "sun-am"


def test_the_language_outweighs_the_rest_then_area_time_and_skills_add_up(app):
    people = [
        Person(1, "Ana", languages=("en",), area_ids=(1,), availability=("tue-am",),
               skills=("legal_observer",)),  # everything but the language: 4 + 3 + 2
        Person(2, "Bea", languages=("es",), area_ids=(1,)),  # 10 + 4
        Person(3, "Cai", languages=("es",), availability=("tue-am",),
               skills=("interpreter",)),  # 10 + 3 + 2
        Person(4, "Dov", languages=("es",)),  # 10
        Person(5, "Eli"),  # nothing in common
    ]
    assert _names(_facts(), people) == ["Cai", "Bea", "Dov", "Ana", "Eli"]


def test_each_open_request_held_costs_a_point_and_breaks_ties(app):
    people = [
        Person(1, "Ana", languages=("es",), area_ids=(1,), open_count=3),  # 14 - 3
        Person(2, "Bea", languages=("es",), area_ids=(1,), open_count=1),  # 14 - 1
        Person(3, "Cai", languages=("es",), area_ids=(1,), open_count=0),  # 14
        Person(4, "Dov", languages=("es",), area_ids=(1,), open_count=40),  # 14 - 5 at most
        Person(5, "Eli", languages=("es",), open_count=0),  # 10
        Person(6, "Fay", languages=("es",), area_ids=(1,), open_count=5),  # 14 - 5, more held
    ]
    assert _names(_facts(), people) == ["Cai", "Bea", "Ana", "Eli", "Fay", "Dov"]


def test_equal_people_are_in_name_order(app):
    people = [Person(i, name, languages=("es",)) for i, name in enumerate(["Zoe", "ana", "Mo"])]
    assert _names(_facts(), people) == ["ana", "Mo", "Zoe"]


def test_a_request_without_an_area_matches_nobody_on_area(app):
    people = [Person(1, "Ana", area_ids=(1,)), Person(2, "Bea", languages=("es",))]
    assert _names(_facts(area_id=None), people) == ["Bea", "Ana"]


def _volunteer(make_user, name: str, languages: list[str], area_ids: list[int],
               availability: list[str], skills: list[str], phone: str):
    user = make_user(Role.VOLUNTEER, Status.VETTED, name=name)
    volunteers.add_profile(user, volunteers.ProfileData(
        display_name=name, phone=phone, languages=languages, skills=skills,
        area_ids=area_ids, availability=availability, referral="-"))
    db.session.commit()
    return user


def test_the_request_page_ranks_with_why(aid_test, client, make_user, make_request, areas):
    coordinator = make_user(Role.COORDINATOR)
    riverside, old_town = areas
    rosa = _volunteer(make_user, "Rosa", ["es", "en"], [riverside.id], ["tue-am"],
                      ["legal_observer"], "+12025550131")
    dev = _volunteer(make_user, "Dev", ["en"], [riverside.id], ["tue-am"], [], "+12025550132")
    lena = _volunteer(make_user, "Lena", ["es"], [old_town.id], ["sat-pm"], [], "+12025550133")
    req = make_request(category="legal", language="es", area_id=riverside.id)
    req.created_at = tuesday_morning()
    service.assign(make_request(), rosa, coordinator)  # Rosa holds one open request
    db.session.commit()

    with client.application.test_request_context():  # the reasons are in the page's language
        ranked = ranking.ranked_for(req)
    assert [r.user.id for r in ranked][:3] == [rosa.id, lena.id, dev.id]
    best = "speaks Spanish · Riverside · free Tue morning · Legal observer · 1 open"
    assert ranked[0].why == best
    assert ranked[1].why == "speaks Spanish · 0 open"

    aid_test.sign_in(client, coordinator)
    html = client.get(f"/coordinator/requests/{req.id}").get_data(as_text=True)
    assert html.index("Assign Rosa") < html.index("Assign Lena") < html.index("Assign Dev")
    assert best in html


def test_the_time_of_a_linked_shift_counts_over_the_time_it_came_in(make_user, make_request):
    from aid.shifts import service as shifts

    coordinator = make_user(Role.COORDINATOR)
    req = make_request()
    req.created_at = tuesday_morning()
    db.session.commit()
    starts = from_local(datetime(2030, 1, 5, 15, 0))  # a Saturday afternoon
    shifts.create_shift(shifts.ShiftData(
        kind="court", status="open", starts_at=starts, duration_minutes=60,
        area_id=req.area_id, needed=1, skills=[], languages=[], summary="s",
        meeting_place="m"), coordinator, request_id=req.id)
    assert ranking.slot_of(ranking.facts_of(req).moment) == "sat-pm"
