"""The queue at any size: per-status counts stay exact through every way a request changes,
deep pages follow the queue's order by keyset, and the list reads nothing it does not show."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import func, inspect, select, update

from aid.extensions import db
from aid.hotline import queries, service
from aid.hotline.models import (
    OPEN_STATES,
    OPEN_WHERE,
    TRANSITIONS,
    HelpRequest,
    State,
)
from aid.hotline.privacy import purge_requests
from aid.hotline.withdraw import withdraw_request
from aid.timeutil import utcnow


def counted() -> dict[str, int]:
    """The truth, the slow way: what the counts table must always equal."""
    truth = {str(s): 0 for s in State}
    truth.update(dict(db.session.execute(
        select(HelpRequest.status, func.count()).group_by(HelpRequest.status)).all()))
    truth["open"] = sum(truth[str(s)] for s in OPEN_STATES)
    truth["all"] = sum(truth[str(s)] for s in State)
    return truth


def assert_exact() -> None:
    db.session.expire_all()
    assert queries.status_counts() == counted()


def test_counts_stay_exact_through_every_transition(app, make_request, make_user):
    coordinator = make_user("coordinator")
    volunteer = make_user("volunteer", "vetted")
    assert_exact()
    # Every allowed move from every state, each from a fresh request brought there.
    route = {State.NEW: [], State.TRIAGED: [State.TRIAGED],
             State.ASSIGNED: [State.TRIAGED, "assign"],
             State.IN_PROGRESS: [State.TRIAGED, "assign", State.IN_PROGRESS],
             State.WAITING: [State.TRIAGED, State.WAITING],
             State.RESOLVED: [State.TRIAGED, State.RESOLVED],
             State.SPAM: [State.SPAM], State.WITHDRAWN: [State.WITHDRAWN]}
    moves = 0
    for start, steps in route.items():
        for to in TRANSITIONS[start]:
            req = make_request()
            assert_exact()
            for step in steps:
                if step == "assign":
                    service.assign(req, volunteer, coordinator)
                else:
                    service.change_status(req, step, coordinator)
                assert_exact()
            assert req.state == start
            service.change_status(req, to, coordinator)
            assert_exact()
            moves += 1
    assert moves == sum(len(v) for v in TRANSITIONS.values())
    triaged = make_request()
    service.triage(triaged, coordinator, category="legal", urgency="now", area_id=None,
                   language="es")
    assert triaged.state == State.TRIAGED
    assert_exact()


def test_counts_stay_exact_through_merge_withdrawal_purge_and_area_wipe(
        app, make_request, make_user, areas):
    from aid.privacy.wipe import wipe_area

    coordinator = make_user("coordinator")
    primary, duplicate = make_request(), make_request()
    service.merge(duplicate, primary, coordinator)
    assert duplicate.state == State.DUPLICATE
    assert_exact()
    assert withdraw_request(make_request().id)
    assert_exact()
    ended = [make_request() for _ in range(3)]
    for req in ended:
        service.change_status(req, State.SPAM, coordinator)
        req.ended_at = utcnow() - timedelta(days=400)
    db.session.commit()
    assert purge_requests(utcnow() - timedelta(days=90)) == 3
    assert_exact()
    assert queries.status_counts()["closed_spam"] == 0
    elsewhere = make_request(area_id=areas[1].id)
    service.change_status(elsewhere, State.TRIAGED, coordinator)
    gone = elsewhere.id
    wipe_area(areas[1].id)
    db.session.commit()
    assert db.session.get(HelpRequest, gone) is None
    assert_exact()


def test_counts_follow_bulk_statements_and_rollbacks(app, make_request):
    for _ in range(4):
        make_request()
    # A statement the ORM never sees (an operator's fix, a future bulk job) still counts.
    db.session.execute(update(HelpRequest).values(status=State.TRIAGED))
    db.session.commit()
    assert_exact()
    assert queries.status_counts()["triaged"] == 4
    db.session.execute(update(HelpRequest).values(status=State.RESOLVED))
    db.session.rollback()
    assert_exact()
    assert queries.status_counts()["resolved"] == 0


def test_the_open_index_holds_exactly_the_open_states():
    assert "status IN ({})".format(", ".join(f"'{s}'" for s in OPEN_STATES)) == OPEN_WHERE


def _codes(html: str) -> list[str]:
    return re.findall(r'class="code" href="[^"]+">([^<]+)</a>', html)


def _link(html: str, rel: str) -> str | None:
    found = re.search(rf'<a rel="{rel}" href="([^"]+)"', html)
    return found.group(1).replace("&amp;", "&") if found else None


def test_older_and_newer_links_walk_the_queue_by_keyset(aid_test, app_factory, make_user):
    app = app_factory(AID_ITEMS_PER_PAGE="3")
    with app.app_context():
        client = app.test_client()
        aid_test.sign_in(client, make_user("coordinator"))
        made = []
        for i in range(8):
            req, _token = service.create_request(service.Intake(
                "food", ("now", "days", "weeks")[i % 3], None, "en", "check_back", "rice"))
            made.append(req)
        expected = [r.code for r in sorted(
            made, key=lambda r: (r.urgency, r.created_at, r.id), reverse=True)]
        html = client.get("/coordinator/requests").get_data(as_text=True)
        pages, seen = [_codes(html)], _codes(html)
        assert "Page 1 of 3" in html
        while (older := _link(html, "next")) is not None:
            assert "after=" in older
            html = client.get(older).get_data(as_text=True)
            pages.append(_codes(html))
            seen += _codes(html)
        assert seen == expected
        assert "Page 3 of 3" in html
        back = client.get(_link(html, "prev")).get_data(as_text=True)
        assert _codes(back) == pages[1] and "Page 2 of 3" in back
        first = client.get(_link(back, "prev")).get_data(as_text=True)
        assert _codes(first) == pages[0]
        # A cursor that is not one is ignored, never queried or a 500.
        for bad in ("x", "3_notadate_1", "1_2_3_4", "9" * 40 + "_2026-01-01T00:00:00_1"):
            response = client.get(f"/coordinator/requests?after={bad}")
            assert response.status_code == 200 and _codes(response.get_data(as_text=True))


def test_a_filtered_list_counts_no_further_than_the_cap(aid_test, app_factory, make_user,
                                                       monkeypatch):
    from aid import pagination

    app = app_factory(AID_ITEMS_PER_PAGE="2")
    monkeypatch.setattr(pagination, "COUNT_CAP", 3)
    with app.app_context():
        client = app.test_client()
        aid_test.sign_in(client, make_user("coordinator"))
        for _ in range(5):
            service.create_request(service.Intake("food", "days", None, "en", "check_back",
                                                  "rice"))
        html = client.get("/coordinator/requests?category=food").get_data(as_text=True)
        assert "Page 1 of more than 2" in html and _link(html, "next")
        html = client.get("/coordinator/requests").get_data(as_text=True)
        assert "Page 1 of 3" in html  # exact, from the counts


def test_the_list_reads_only_the_need_and_no_secrets(app, make_request, make_user):
    coordinator = make_user("coordinator")
    volunteer = make_user("volunteer", "vetted")
    service.assign(make_request(), volunteer, coordinator)
    db.session.expunge_all()  # what the queue loads, not what the set-up left in memory
    with app.test_request_context("/coordinator/requests"):
        queue = queries.load_queue(queries.Filters())
        assert queue.page.items
        for req in queue.page.items:
            assert {"name", "phone"} <= inspect(req).unloaded
            assert "details" not in inspect(req).unloaded  # its first words are on the card
        for person in queue.people.values():
            assert {"email", "totp_secret"} <= inspect(person).unloaded
        people = service.assignable_people()
        assert people
        for assignee in people:
            assert {"email", "totp_secret"} <= inspect(assignee.user).unloaded
            assert assignee.user.display_name
