from __future__ import annotations

import re
from datetime import timedelta

from aid.auth.models import Role
from aid.shifts import signups
from aid.timeutil import utcnow
from aid.volunteers import service
from tests.volunteers import factories


def _feed_path(html: str) -> str:
    match = re.search(r"http://[^/]+(/calendar/[\w-]+\.ics)", html)
    assert match, "no calendar link on the page"
    return match.group(1)


def test_my_page_lists_my_shifts_and_a_slot_for_assigned_requests(aid_test, app, client, make_user):
    shift = factories.shift(make_user(Role.COORDINATOR))
    volunteer = factories.volunteer()
    signups.sign_up(shift.id, volunteer)
    aid_test.sign_in(client, volunteer)
    html = client.get("/my").get_data(as_text=True)
    assert "My shifts" in html and f'href="/shifts/{shift.id}"' in html
    assert "Edit my profile" in html


def test_calendar_feed_lists_confirmed_shifts_without_the_meeting_place(aid_test, app, client,
                                                                        make_user):
    coordinator = make_user(Role.COORDINATOR)
    held = factories.shift(coordinator, starts_at=utcnow().replace(microsecond=0)
                           + timedelta(days=2))
    waitlisted = factories.shift(coordinator, needed=1)
    volunteer = factories.volunteer()
    signups.sign_up(waitlisted.id, factories.volunteer())
    signups.sign_up(held.id, volunteer)
    signups.sign_up(waitlisted.id, volunteer)
    aid_test.sign_in(client, volunteer)
    page = aid_test.post_form(client, "/my/calendar", {"action": "new"}, follow_redirects=True)
    path = _feed_path(page.get_data(as_text=True))
    anonymous = app.test_client()
    response = anonymous.get(path)
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    body = response.get_data(as_text=True)
    assert body.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n") and body.endswith(
        "END:VCALENDAR\r\n")
    assert body.count("BEGIN:VEVENT") == 1
    assert f"UID:shift-{held.id}@" in body
    assert f"DTSTART:{held.starts_at.strftime('%Y%m%dT%H%M%SZ')}" in body
    assert "SUMMARY:Court date · Eastside" in body
    assert "Elm St" not in body and "hearing" not in body
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))


def test_calendar_link_can_be_revoked_and_replaced(aid_test, app, client):
    volunteer = factories.volunteer()
    aid_test.sign_in(client, volunteer)
    first = _feed_path(aid_test.post_form(client, "/my/calendar", {"action": "new"},
                                          follow_redirects=True).get_data(as_text=True))
    second = _feed_path(aid_test.post_form(client, "/my/calendar", {"action": "new"},
                                           follow_redirects=True).get_data(as_text=True))
    assert first != second
    assert client.get(first).status_code == 404 and client.get(second).status_code == 200
    aid_test.post_form(client, "/my/calendar", {"action": "revoke"})
    assert client.get(second).status_code == 404


def test_suspension_kills_the_calendar_feed(app):
    volunteer = factories.volunteer()
    profile = service.profile_for(volunteer)
    token = service.new_calendar_token(profile)
    client = app.test_client()
    assert client.get(f"/calendar/{token}.ics").status_code == 200
    service.decide(profile, service.Decision.SUSPEND)
    assert client.get(f"/calendar/{token}.ics").status_code == 404


def test_ical_folding_keeps_multibyte_characters_whole():
    from aid.shifts.ical import fold

    line = "SUMMARY:" + "Acompañamiento ñ " * 10
    folded = fold(line)
    pieces = folded.split("\r\n ")
    assert "".join(pieces) == line
    assert len(pieces) > 1
    assert all(len((" " if n else "").encode() + piece.encode()) <= 75
               for n, piece in enumerate(pieces))
