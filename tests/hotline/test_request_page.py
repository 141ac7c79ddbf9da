"""A request's page reads top down and shows the request as it is now: the status menu has the
current status chosen, the volunteer menu the current assignee."""

from __future__ import annotations

import re

from aid.auth.models import Role, Status
from aid.extensions import db
from aid.hotline import service
from aid.hotline.models import EventKind, HelpRequest, RequestEvent, State


def _selected(html: str, name: str) -> list[str]:
    """The values of the selected options of the <select name=...>."""
    select = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert select, name
    return re.findall(r'<option selected value="([^"]*)"', select.group(1))


def test_the_current_status_and_assignee_are_chosen(aid_test, client, signed_in, make_request,
                                                    make_user):
    coordinator = signed_in(Role.COORDINATOR)
    rosa = make_user(Role.VOLUNTEER, Status.VETTED, name="Rosa")
    make_user(Role.VOLUNTEER, Status.VETTED, name="Dev")
    req = make_request()
    html = client.get(f"/coordinator/requests/{req.id}").get_data(as_text=True)
    assert _selected(html, "status") == ["new"]
    assert "Choose a person" in html  # nobody holds it yet
    service.assign(req, rosa, coordinator)
    service.change_status(req, State.IN_PROGRESS, coordinator)
    html = client.get(f"/coordinator/requests/{req.id}").get_data(as_text=True)
    assert _selected(html, "status") == ["in_progress"]
    assert _selected(html, "volunteer") == [str(rosa.id)]
    assert "Choose a person" not in html


def test_sending_the_status_unchanged_changes_nothing(aid_test, client, signed_in, make_request):
    signed_in(Role.COORDINATOR)
    req = make_request()
    before = db.session.query(RequestEvent).filter_by(request_id=req.id).count()
    response = aid_test.post_form(client, f"/coordinator/requests/{req.id}/status",
                                  {"status": "new"}, follow_redirects=True)
    assert "The status stays: New" in response.get_data(as_text=True)
    assert db.session.get(HelpRequest, req.id).status == State.NEW
    assert db.session.query(RequestEvent).filter_by(request_id=req.id).count() == before


def test_assigning_the_current_assignee_again_changes_nothing(aid_test, client, signed_in,
                                                             make_request, make_user):
    coordinator = signed_in(Role.COORDINATOR)
    rosa = make_user(Role.VOLUNTEER, Status.VETTED, name="Rosa")
    req = make_request()
    service.assign(req, rosa, coordinator)
    response = aid_test.post_form(client, f"/coordinator/requests/{req.id}/assign",
                                  {"volunteer": str(rosa.id)}, follow_redirects=True)
    assert "Already assigned to Rosa." in response.get_data(as_text=True)
    assert db.session.query(RequestEvent).filter_by(
        request_id=req.id, kind=EventKind.ASSIGNED).count() == 1


def test_the_page_reads_top_down_with_the_rare_actions_folded(client, signed_in, make_request):
    signed_in(Role.COORDINATOR)
    req = make_request(details="We have no food until Friday")
    html = client.get(f"/coordinator/requests/{req.id}").get_data(as_text=True)
    order = ["What they need", "We have no food until Friday", "What to do",
             'name="status"', "Assign", 'name="body"', 'name="message"', "Timeline",
             "More actions"]
    positions = [html.index(marker) for marker in order]
    assert positions == sorted(positions), list(zip(order, positions, strict=True))
    rare = html[html.index("More actions"):]
    for action in ("Make a report", "Merge", "Create a shift for this request"):
        assert action in rare
    assert rare.count("<details") == 3
    # A new request opens with its triage unfolded: it is the first thing to do.
    assert '<details class="fold" open>\n<summary>Triage</summary>' in html
