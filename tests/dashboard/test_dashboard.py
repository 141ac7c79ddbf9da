"""The coordinators' dashboard shows what waits and how the network is doing, and every figure
is what someone counting the records by hand would find."""

from __future__ import annotations

import re
import statistics
from datetime import timedelta

from sqlalchemy import event

from aid.alerts.models import AlertState
from aid.auth.models import Role, Status
from aid.board.models import PostStatus
from aid.dashboard import service
from aid.extensions import db
from aid.hotline.models import State
from aid.shifts.models import ShiftStatus
from aid.sms.models import MessageState
from aid.timeutil import to_local
from tests.dashboard.support import Seeded, open_states


def _figure(html: str, text: str) -> int:
    """The number a dashboard link shows before its words ("2 urgent new requests")."""
    match = re.search(r'<span class="n">(\d+)</span> <span>' + re.escape(text) + "</span>", html)
    assert match, text
    return int(match.group(1))


def test_anonymous_and_volunteers_cannot_see_it(client, signed_in):
    assert client.get("/coordinator").status_code == 302
    signed_in(Role.VOLUNTEER, Status.VETTED)
    assert client.get("/coordinator").status_code == 403


def test_staff_land_on_the_dashboard_after_signing_in(aid_test, app, make_user):
    coordinator, volunteer = make_user(Role.COORDINATOR), make_user(Role.VOLUNTEER, Status.VETTED)
    client = app.test_client()
    assert aid_test.sign_in(client, coordinator).headers["Location"].endswith("/coordinator")
    other = app.test_client()
    assert aid_test.sign_in(other, volunteer).headers["Location"].endswith("/")
    # A link that led to sign-in still wins.
    third = app.test_client()
    response = aid_test.post_form(third, "/login?next=/shifts", {
        "email": volunteer.email, "password": aid_test.PASSWORD, "next": "/shifts"})
    assert response.headers["Location"].endswith("/shifts")


def test_what_waits_equals_the_records_counted_by_hand(aid_test, client, seeded: Seeded):
    now, reqs = seeded.now, seeded.requests
    stale_before = now - timedelta(hours=client.application.config["HOTLINE_STALE_HOURS"])
    expected = {
        "urgent new requests": sum(r.status == State.NEW and r.urgency == 3 for r in reqs),
        "new requests": sum(r.status == State.NEW for r in reqs),
        "requests left too long": sum(r.status in open_states() and r.handled_at < stale_before
                                      for r in reqs),
        "applicants ready to confirm": sum(n >= 2 for n in seeded.applicants.values()),
        "board posts to moderate": sum(p.status == PostStatus.PENDING for p in seeded.posts),
        "flagged board posts": sum(p.flag_count > 0 for p in seeded.posts),
        "reports to verify": sum(r.is_open for r in seeded.reports),
        "shifts in the next 72 hours with open places": sum(
            s.status == ShiftStatus.OPEN and now <= s.starts_at < now + timedelta(hours=72)
            and confirmed < s.needed for s, confirmed in seeded.shifts),
        "alerts waiting for a second approval": sum(
            a.status == AlertState.PENDING for a in seeded.alerts),
    }
    # Every kind of record is there, so a zero would be a real zero.
    assert all(expected.values()), expected
    aid_test.sign_in(client, seeded.coordinator)
    html = client.get("/coordinator").get_data(as_text=True)
    assert {text: _figure(html, text) for text in expected} == expected
    # Urgent first.
    assert html.index("urgent new requests") < html.index("new requests</span>")


def test_each_link_opens_a_list_of_exactly_those(aid_test, client, seeded: Seeded):
    aid_test.sign_in(client, seeded.coordinator)
    html = client.get("/coordinator").get_data(as_text=True)
    links = dict(re.findall(r'<a href="([^"]+)" class="[^"]*"><span class="n">\d+</span> '
                            r"<span>([^<]+)</span>", html))
    by_text = {text: href.replace("&amp;", "&") for href, text in links.items()}
    urgent = client.get(by_text["urgent new requests"]).get_data(as_text=True)
    codes = {r.code for r in seeded.requests if r.status == State.NEW and r.urgency == 3}
    assert codes and all(code in urgent for code in codes)
    assert not any(r.code in urgent for r in seeded.requests if r.code not in codes)
    soon = client.get(by_text["shifts in the next 72 hours with open places"])
    wanted = {s.id for s, confirmed in seeded.shifts if s.status == ShiftStatus.OPEN
              and seeded.now <= s.starts_at < seeded.now + timedelta(hours=72)
              and confirmed < s.needed}
    shown = {int(i) for i in re.findall(r'href="/shifts/(\d+)"', soon.get_data(as_text=True))}
    assert shown == wanted
    ready = client.get(by_text["applicants ready to confirm"]).get_data(as_text=True)
    shown = {int(i) for i in re.findall(r'href="/coordinator/volunteers/(\d+)"', ready)}
    assert shown == {uid for uid, n in seeded.applicants.items() if n >= 2}
    reports = client.get(by_text["reports to verify"]).get_data(as_text=True)
    shown = {int(i) for i in re.findall(r'href="/coordinator/reports/(\d+)"', reports)}
    assert shown == {r.id for r in seeded.reports if r.is_open}
    alerts = client.get(by_text["alerts waiting for a second approval"]).get_data(as_text=True)
    shown = {int(i) for i in re.findall(r'href="/coordinator/alerts/(\d+)"', alerts)}
    assert shown == {a.id for a in seeded.alerts if a.status == AlertState.PENDING}


def _week(seeded: Seeded, moment) -> int | None:
    """Which of the dashboard's weeks a time falls in, counted from the local Mondays."""
    today = to_local(seeded.now).date()
    first = today - timedelta(days=today.weekday(), weeks=service.WEEKS - 1)
    index = (to_local(moment).date() - first).days // 7
    return index if 0 <= index < service.WEEKS else None


def test_the_charts_figures_equal_the_records_counted_by_hand(seeded: Seeded):
    d = service.dashboard(seeded.now)
    by_category: dict[tuple[int, str], int] = {}
    by_state: dict[tuple[int, str], int] = {}
    for r in seeded.requests:
        week = _week(seeded, r.created_at)
        if week is None:
            continue
        by_category[(week, r.category)] = by_category.get((week, r.category), 0) + 1
        by_state[(week, r.status)] = by_state.get((week, r.status), 0) + 1
    assert d.weekly.by_category == by_category
    assert d.weekly.by_state == by_state
    assert {s for _w, s in by_state} == {str(s) for s in State}  # every state is counted

    firsts = [(seeded.first_action[r.id] - r.created_at).total_seconds()
              for r in seeded.requests if r.id in seeded.first_action
              and _week(seeded, r.created_at) is not None]
    resolved = [(r.ended_at - r.created_at).total_seconds() for r in seeded.requests
                if r.status == State.RESOLVED and _week(seeded, r.ended_at) is not None]
    assert d.first_action is not None and abs(d.first_action - statistics.median(firsts)) < 1
    assert d.resolution is not None and abs(d.resolution - statistics.median(resolved)) < 1

    in_window = [(s, c) for s, c in seeded.shifts if s.status == ShiftStatus.OPEN
                 and seeded.now - timedelta(days=28) <= s.starts_at
                 < seeded.now + timedelta(days=14)]
    assert (d.fill.shifts, d.fill.needed, d.fill.filled) == (
        len(in_window), sum(s.needed for s, _c in in_window),
        sum(min(c, s.needed) for s, c in in_window))

    outcomes = [(delivery, message) for _a, delivery, message in seeded.deliveries]
    delivered = sum(m == MessageState.DELIVERED for _d, m in outcomes)
    failed = sum(d_ == "failed" or m == MessageState.UNDELIVERED for d_, m in outcomes)
    sent = sum(m == MessageState.SENT for _d, m in outcomes)
    assert d.deliveries.counts == {
        "delivered": delivered, "failed": failed, "sent": sent,
        "skipped": sum(d_ == "skipped" for d_, _m in outcomes),
        "queued": sum(d_ == "pending" for d_, _m in outcomes)}
    assert d.deliveries.percent == round(100 * delivered / (delivered + failed + sent))

    statuses = [u.status for u in seeded.volunteers if u.role == Role.VOLUNTEER]
    assert d.volunteers == {s: statuses.count(s) for s in set(statuses)}


def test_the_page_draws_the_charts_with_their_tables(aid_test, client, seeded: Seeded):
    aid_test.sign_in(client, seeded.coordinator)
    html = client.get("/coordinator").get_data(as_text=True)
    assert html.count("<svg viewBox") >= 5
    assert "style=" not in html  # the CSP allows no inline style
    assert 'data-chart="by-state"' in html and 'data-chart="by-category"' in html
    # Counts only: nothing anyone wrote, no name of a volunteer.
    assert "Necesito ayuda" not in html
    assert not any(u.display_name in html for u in seeded.volunteers)


def _statements(client, path: str) -> int:
    statements: list[str] = []

    def listen(_conn, _cursor, statement, *_args):
        statements.append(statement)

    db.session.expire_all()  # as in a real request: nothing already loaded, the user neither
    event.listen(db.engine, "before_cursor_execute", listen)
    try:
        assert client.get(path).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", listen)
    return len(statements)


def test_the_page_runs_a_fixed_number_of_statements(aid_test, client, seeded: Seeded, make_user):
    aid_test.sign_in(client, seeded.coordinator)
    few = _statements(client, "/coordinator")
    from aid.hotline import service as hotline

    for n in range(30):
        hotline.create_request(hotline.Intake(
            category="housing", urgency="now", area_id=None, language="en",
            contact_method="check_back", details=f"more {n}"))
        make_user(Role.VOLUNTEER, Status.APPLIED)
    many = _statements(client, "/coordinator")
    assert many == few, (few, many)
    # The signed-in user, the network's settings, and the nine of aid.dashboard.service.
    assert few <= 11, few
