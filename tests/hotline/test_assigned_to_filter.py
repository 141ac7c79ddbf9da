"""The queue's "Assigned to" filter, as a coordinator sees it: a small team offered in full by
name; a larger one as the coordinator and the people holding the requests the page shows,
at the same cost whatever the team's size; filtering by a person (from the menu, from a name
in the list or from a volunteer's page) or by nobody; a renamed person under their new name."""

from __future__ import annotations

import re

import pytest

from aid.auth.models import Role
from aid.extensions import db
from aid.hotline import service
from tests.volunteers import factories

QUEUE = "/coordinator/requests"


def _menu(html: str) -> list[str]:
    """The people the Assigned to menu offers, in order."""
    menu = html.split('id="assignee"')[1].split("</select>")[0]
    return re.findall(r'<option value="\d+"[^>]*>([^<]+)</option>', menu)


def _chosen(html: str) -> str | None:
    menu = html.split('id="assignee"')[1].split("</select>")[0]
    found = re.search(r'<option value="[^"]*" selected>([^<]+)</option>', menu)
    return found.group(1) if found else None


def _codes(html: str) -> list[str]:
    return re.findall(r'class="code" href="[^"]+">([^<]+)</a>', html)


def _name_statements(seen: list[tuple[str, object]]) -> list[str]:
    """The statements that read people's names (each name read is a decryption), but for
    the signed-in account's own, loaded whole by every page."""
    return [s for s, _p in seen if "users.display_name" in s.split("FROM")[0]
            and "users.email" not in s.split("FROM")[0]]


@pytest.fixture
def large_team(monkeypatch):
    """A team past the size offered in full: three people are enough to stand for many."""
    monkeypatch.setattr(service, "TEAM_IN_FULL", 3)


@pytest.fixture
def team(aid_test, client, make_user, make_request):
    """Zoe (the coordinator signed in); Ana holds two open requests, Bo one, Cy none; one
    request is held by nobody."""
    zoe = make_user(Role.COORDINATOR, name="Zoe Coordinator")
    aid_test.sign_in(client, zoe)
    ana, bo, cy = (make_user(Role.VOLUNTEER, "vetted", name=n) for n in ("ana", "Bo", "Cy"))
    held = {ana.id: [make_request(), make_request()], bo.id: [make_request()]}
    for person, requests in ((ana, held[ana.id]), (bo, held[bo.id])):
        for req in requests:
            service.assign(req, person, zoe)
    nobody = make_request()
    return {"zoe": zoe, "ana": ana, "bo": bo, "cy": cy,
            "codes": {ana.id: {r.code for r in held[ana.id]}, bo.id: {held[bo.id][0].code},
                      "none": {nobody.code}}}


def test_a_small_team_is_offered_in_full_by_name(aid_test, client, make_user):
    aid_test.sign_in(client, make_user(Role.COORDINATOR, name="Zoe Coordinator"))
    make_user(Role.VOLUNTEER, "vetted", name="ana Volunteer")
    make_user(Role.VOLUNTEER, "applied", name="Not Yet Vetted")
    make_user(Role.ADMIN, name="Admin Person")
    html = client.get(QUEUE).get_data(as_text=True)
    assert _menu(html) == ["ana Volunteer", "Zoe Coordinator"]
    assert 'id="assignee-hint"' not in html  # nobody is left out
    # The names are read in one statement of two columns: no account object per person.
    listed = _name_statements(aid_test.statements_sent(lambda: client.get(QUEUE)))
    assert len(listed) == 1 and listed[0].split("FROM")[0].count(",") == 1, listed
    many = aid_test.count_queries(client, QUEUE)
    for _ in range(10):
        make_user(Role.VOLUNTEER, "vetted")
    assert aid_test.count_queries(client, QUEUE) == many


def test_a_large_team_is_offered_as_the_viewer_and_the_people_the_page_names(
        aid_test, client, make_user, team, large_team):
    html = client.get(QUEUE).get_data(as_text=True)
    # Cy holds nothing on the page: not offered (her page links to what she holds).
    assert _menu(html) == ["ana", "Bo", "Zoe Coordinator"]
    assert 'id="assignee-hint"' in html and 'aria-describedby="assignee-hint"' in html
    seen = aid_test.statements_sent(lambda: client.get(QUEUE))
    for _ in range(20):
        make_user(Role.VOLUNTEER, "vetted")
    client.get(QUEUE)  # the test's session reloads the signed-in account after the commits
    grown = aid_test.statements_sent(lambda: client.get(QUEUE))
    # The same statements for a team of 4 or 24, and no name read but the page's holders'.
    assert len(grown) == len(seen)
    assert [s for s in _name_statements(grown) if "users.role" in s] == []
    assert _menu(client.get(QUEUE).get_data(as_text=True)) == ["ana", "Bo", "Zoe Coordinator"]


@pytest.mark.parametrize("size", ["small", "large"])
def test_filtering_by_a_person_or_by_nobody(client, team, monkeypatch, size):
    if size == "large":
        monkeypatch.setattr(service, "TEAM_IN_FULL", 3)
    ana, cy = team["ana"], team["cy"]
    html = client.get(f"{QUEUE}?assignee={ana.id}").get_data(as_text=True)
    assert set(_codes(html)) == team["codes"][ana.id]
    assert _chosen(html) == "ana"
    html = client.get(f"{QUEUE}?assignee=none").get_data(as_text=True)
    assert set(_codes(html)) == team["codes"]["none"]
    assert _chosen(html) == "Nobody yet"
    # Someone who holds nothing: an empty list, and the menu still says whose it is.
    html = client.get(f"{QUEUE}?assignee={cy.id}").get_data(as_text=True)
    assert _codes(html) == [] and "No requests match." in html
    assert _chosen(html) == "Cy"


def test_a_name_in_the_list_filters_by_that_person(client, team, large_team):
    bo = team["bo"]
    html = client.get(QUEUE).get_data(as_text=True)
    links = re.findall(rf'<a href="([^"]+)">{bo.display_name}</a>', html)
    assert links, "Bo's name in the list is not a link"
    html = client.get(links[0].replace("&amp;", "&")).get_data(as_text=True)
    assert set(_codes(html)) == team["codes"][bo.id] and _chosen(html) == "Bo"


def test_a_volunteers_page_links_to_the_requests_they_hold(client, team, make_request):
    rosa = factories.volunteer("vetted", name="Rosa")
    req = make_request()
    service.assign(req, rosa, team["zoe"])
    page = client.get(f"/coordinator/volunteers/{rosa.id}").get_data(as_text=True)
    link = re.search(r'<a href="([^"]+)">Requests assigned to them', page)
    assert link, page
    html = client.get(link.group(1).replace("&amp;", "&")).get_data(as_text=True)
    assert _codes(html) == [req.code] and _chosen(html) == "Rosa"


@pytest.mark.parametrize("size", ["small", "large"])
def test_a_renamed_person_is_offered_and_listed_by_their_new_name(client, team, monkeypatch,
                                                                   size):
    if size == "large":
        monkeypatch.setattr(service, "TEAM_IN_FULL", 3)
    ana = team["ana"]
    client.get(QUEUE)
    ana.display_name = "Ana María"
    db.session.commit()
    html = client.get(QUEUE).get_data(as_text=True)
    assert "Ana María" in _menu(html) and "ana" not in _menu(html)
    assert re.findall(r'<a href="[^"]+">(Ana María|ana)</a>', html) == ["Ana María"] * 2
