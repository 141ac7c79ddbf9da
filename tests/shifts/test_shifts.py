from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from aid.auth.models import Role
from aid.extensions import db
from aid.security.audit import AuditEvent
from aid.shifts import signups
from aid.shifts.models import Shift, Signup
from aid.timeutil import utcnow
from tests.volunteers import factories

PLACE = "Side door of 12 Elm St"


def _shift_form(**changes: object) -> dict:
    data = {"kind": "ice_checkin", "status": "open", "day": "2031-03-04", "time": "09:30",
            "duration_minutes": "90", "area": str(factories.area().id), "needed": "",
            "skills": ["interpreter"], "languages": ["es"],
            "summary": "Check-in at the field office", "meeting_place": PLACE}
    data.update(changes)
    return data


def test_coordinator_creates_a_shift_with_the_types_default_capacity(aid_test, client, signed_in):
    coordinator = signed_in(Role.COORDINATOR)
    response = aid_test.post_form(client, "/shifts/new", _shift_form())
    assert response.status_code == 302
    shift = db.session.scalar(select(Shift))
    assert (shift.kind, shift.needed, shift.duration_minutes) == ("ice_checkin", 2, 90)
    assert shift.coordinator_id == coordinator.id and shift.meeting_place == PLACE
    raw = db.session.execute(db.text("SELECT meeting_place FROM shifts")).scalar_one()
    assert b"Elm" not in bytes(raw)
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "ICE check-in" in html and PLACE in html


def test_default_capacity_per_type_is_a_setting(aid_test, client, signed_in):
    signed_in(Role.COORDINATOR)
    form = {"court": "3", "ice_checkin": "5", "medical": "1", "school_walk": "2",
            "patrol": "4", "hotline": "3", "other": "2"}
    assert aid_test.post_form(client, "/shifts/capacity", form).status_code == 302
    aid_test.post_form(client, "/shifts/new", _shift_form())
    assert db.session.scalar(select(Shift.needed)) == 5


def test_an_open_shift_needs_a_meeting_place_and_errors_keep_input(aid_test, client, signed_in):
    signed_in(Role.COORDINATOR)
    response = aid_test.post_form(client, "/shifts/new", _shift_form(meeting_place=""))
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "needs its meeting place" in html
    assert "Check-in at the field office" in html
    assert db.session.scalar(select(Shift)) is None


def test_drafts_are_hidden_from_volunteers(aid_test, app, client, make_user):
    coordinator = make_user(Role.COORDINATOR)
    draft = factories.shift(coordinator, status="draft")
    aid_test.sign_in(client, factories.volunteer())
    assert f'href="/shifts/{draft.id}"' not in client.get("/shifts").get_data(as_text=True)
    assert client.get(f"/shifts/{draft.id}").status_code == 404
    assert aid_test.post_form(client, f"/shifts/{draft.id}/signup", {}).status_code == 404


def test_meeting_place_is_shown_only_once_confirmed(aid_test, app, client, make_user):
    shift = factories.shift(make_user(Role.COORDINATOR), needed=1)
    first = factories.volunteer()
    signups.sign_up(shift.id, first)
    aid_test.sign_in(client, factories.volunteer())
    html = client.get(f"/shifts/{shift.id}").get_data(as_text=True)
    assert PLACE not in html and "Shown once you are confirmed" in html
    aid_test.post_form(client, f"/shifts/{shift.id}/signup", {})  # full: waitlisted
    html = client.get(f"/shifts/{shift.id}").get_data(as_text=True)
    assert "you are on the waitlist" in html and PLACE not in html
    other = app.test_client()
    aid_test.sign_in(other, first)
    assert PLACE in other.get(f"/shifts/{shift.id}").get_data(as_text=True)
    viewed = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "shift.viewed"))
    assert viewed.actor_id == first.id


def test_waitlist_moves_up_when_a_confirmed_volunteer_withdraws(aid_test, app, client, make_user):
    shift = factories.shift(make_user(Role.COORDINATOR), needed=1)
    holder, waiting = factories.volunteer(), factories.volunteer()
    aid_test.sign_in(client, holder)
    aid_test.post_form(client, f"/shifts/{shift.id}/signup", {})
    assert signups.sign_up(shift.id, waiting) == "waitlisted"
    response = aid_test.post_form(client, f"/shifts/{shift.id}/withdraw", {}, follow_redirects=True)
    assert "You have withdrawn" in response.get_data(as_text=True)
    statuses = dict(db.session.execute(select(Signup.user_id, Signup.status)).all())
    assert statuses == {holder.id: "withdrawn", waiting.id: "confirmed"}


def test_adding_places_promotes_the_waitlist(aid_test, client, signed_in):
    coordinator = signed_in(Role.COORDINATOR)
    shift = factories.shift(coordinator, needed=1)
    signups.sign_up(shift.id, factories.volunteer())
    waiting = factories.volunteer()
    signups.sign_up(shift.id, waiting)
    response = aid_test.post_form(client, f"/shifts/{shift.id}/edit", _shift_form(needed="2"),
                                  follow_redirects=True)
    assert "moved up from the waitlist" in response.get_data(as_text=True)
    assert db.session.scalar(select(Signup.status).where(Signup.user_id == waiting.id)) \
        == "confirmed"


def test_overlapping_sign_up_is_refused_with_a_clear_message(aid_test, app, client, make_user):
    coordinator = make_user(Role.COORDINATOR)
    start = utcnow() + timedelta(days=2)
    first = factories.shift(coordinator, starts_at=start, minutes=120)
    clash = factories.shift(coordinator, starts_at=start + timedelta(minutes=90))
    later = factories.shift(coordinator, starts_at=start + timedelta(minutes=120))
    aid_test.sign_in(client, factories.volunteer())
    aid_test.post_form(client, f"/shifts/{first.id}/signup", {})
    response = aid_test.post_form(client, f"/shifts/{clash.id}/signup", {}, follow_redirects=True)
    assert "overlapping time" in response.get_data(as_text=True)
    response = aid_test.post_form(client, f"/shifts/{later.id}/signup", {}, follow_redirects=True)
    assert "You are confirmed on this shift" in response.get_data(as_text=True)


def test_list_filters_by_area_and_skill(aid_test, app, client, make_user):
    coordinator = make_user(Role.COORDINATOR)
    link = f'href="/shifts/{factories.shift(coordinator).id}"'
    other_area = factories.area("Riverside").id
    aid_test.sign_in(client, factories.volunteer())

    def listed(query: str) -> bool:
        return link in client.get(f"/shifts{query}").get_data(as_text=True)

    assert listed("") and listed("?skill=interpreter") and listed("?kind=court")
    assert not listed(f"?area={other_area}") and not listed("?skill=driver")
    assert not listed("?kind=patrol") and not listed("?from=2099-01-01")


def test_shift_list_query_count_does_not_grow_with_shifts(aid_test, app, client, make_user):
    coordinator = make_user(Role.COORDINATOR)
    aid_test.sign_in(client, factories.volunteer())
    factories.shift(coordinator)
    few = aid_test.count_queries(client, "/shifts")
    for _ in range(8):
        shift = factories.shift(coordinator)
        signups.sign_up(shift.id, factories.volunteer())
    assert aid_test.count_queries(client, "/shifts") == few


def test_shift_days_are_named_in_the_readers_language(aid_test, client, make_user):
    coordinator = make_user(Role.COORDINATOR)
    volunteer = factories.volunteer()
    volunteer.locale = "es"
    db.session.commit()
    shift = factories.shift(coordinator, starts_at=datetime(2031, 3, 4, 15, 0))  # a Tuesday
    signups.sign_up(shift.id, volunteer)
    aid_test.sign_in(client, volunteer)
    detail = client.get(f"/shifts/{shift.id}").get_data(as_text=True)
    listing = client.get("/shifts").get_data(as_text=True)
    mine = client.get("/my").get_data(as_text=True)
    # Day and month named in Spanish, day before month (the network's zone here is UTC).
    assert "mar 4 mar 2031, 15:00" in detail and "Tue" not in detail
    assert "mar 4 mar 2031, 15:00" in listing and "Tue" not in listing
    assert "mar 4 mar 2031, 15:00" in mine and "Tue" not in mine


def test_a_volunteer_signs_up_from_the_list_without_opening_the_shift(aid_test, client,
                                                                      make_user):
    coordinator = make_user(Role.COORDINATOR)
    roomy = factories.shift(coordinator, needed=2)
    full = factories.shift(coordinator, needed=1, starts_at=utcnow() + timedelta(days=3))
    signups.sign_up(full.id, factories.volunteer())
    me = factories.volunteer()
    aid_test.sign_in(client, me)
    listing = client.get("/shifts").get_data(as_text=True)
    assert f'action="/shifts/{roomy.id}/signup"' in listing
    assert "Join the waitlist" in listing  # the full one still takes a waitlist place
    without_token = client.post(f"/shifts/{roomy.id}/signup")
    assert without_token.status_code == 400
    response = aid_test.post_form(client, f"/shifts/{roomy.id}/signup", {})
    assert response.headers["Location"].endswith(f"/shifts/{roomy.id}")
    row = db.session.scalar(select(Signup).where(Signup.user_id == me.id))
    assert row.status == "confirmed"
    again = client.get("/shifts").get_data(as_text=True)
    assert f'action="/shifts/{roomy.id}/signup"' not in again and "you are confirmed" in again
