"""Shifts, board and reports events: who is told, and that no personal detail goes along."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from aid.alerts import reports
from aid.auth.models import Role, Status
from aid.board import service as board
from aid.shifts import service as shifts
from aid.shifts import signups
from aid.timeutil import utcnow
from aid.volunteers import service as volunteers
from tests.fakes.smtp_server import text_of
from tests.volunteers import factories

PLACE = "Side door of 12 Elm St"


def data_of(shift, **changes) -> shifts.ShiftData:
    base = shifts.ShiftData(
        kind=shift.kind, status=shift.status, starts_at=shift.starts_at,
        duration_minutes=shift.duration_minutes, area_id=shift.area_id, needed=shift.needed,
        skills=["interpreter"], languages=["es"], summary=shift.summary,
        meeting_place=shift.meeting_place)
    return replace(base, **changes)


def test_a_moved_shift_tells_everyone_confirmed_or_waitlisted(app, make_user, smtp):
    coordinator = make_user(Role.COORDINATOR, Status.VETTED)
    shift = factories.shift(coordinator, needed=1, place=PLACE)
    confirmed, waiting = factories.volunteer(), factories.volunteer()
    signups.sign_up(shift.id, confirmed)
    signups.sign_up(shift.id, waiting)
    smtp.reset()
    new_start = (utcnow() + timedelta(days=2)).replace(hour=15, minute=30, second=0,
                                                       microsecond=0)
    shifts.update_shift(shift, data_of(shift, starts_at=new_start))
    for person in (confirmed, waiting):
        [mail] = smtp.to(person.email)
        body = text_of(mail)
        assert new_start.strftime("%Y-%m-%d 15:30") in body and f"/shifts/{shift.id}" in body
        assert PLACE not in body and "hearing" not in body


def test_an_unchanged_time_tells_nobody(app, make_user, smtp):
    coordinator = make_user(Role.COORDINATOR, Status.VETTED)
    shift = factories.shift(coordinator)
    person = factories.volunteer()
    signups.sign_up(shift.id, person)
    smtp.reset()
    shifts.update_shift(shift, data_of(shift, summary="Bring water"))
    assert smtp.to(person.email) == []


def test_a_cancelled_shift_tells_them_and_shows_cancelled_in_the_calendar(
        app, client, make_user, smtp):
    coordinator = make_user(Role.COORDINATOR, Status.VETTED)
    shift = factories.shift(coordinator)
    person = factories.volunteer()
    signups.sign_up(shift.id, person)
    profile = volunteers.profile_for(person)
    token = volunteers.new_calendar_token(profile)
    smtp.reset()
    shifts.update_shift(shift, data_of(shift, status="cancelled"))
    [mail] = smtp.to(person.email)
    assert "was cancelled" in text_of(mail) and mail["List-Unsubscribe"] is None
    feed = client.get(f"/calendar/{token}.ics").get_data(as_text=True)
    assert "STATUS:CANCELLED" in feed


def test_waitlist_promotion_is_emailed(app, make_user, smtp):
    coordinator = make_user(Role.COORDINATOR, Status.VETTED)
    shift = factories.shift(coordinator, needed=1)
    first, waiting = factories.volunteer(), factories.volunteer()
    signups.sign_up(shift.id, first)
    signups.sign_up(shift.id, waiting)
    smtp.reset()
    signups.withdraw(shift.id, first)
    [mail] = smtp.to(waiting.email)
    assert "you are now confirmed" in text_of(mail) and f"/shifts/{shift.id}" in text_of(mail)


def test_a_post_waiting_for_moderation_tells_coordinators(app, make_user, smtp):
    coordinator = make_user(Role.COORDINATOR, Status.VETTED)
    post, _token = board.create_post("need", board.PostInput(
        category="food", area_id=factories.area().id, title="Baby formula",
        description="For my daughter, at Maple Court", first_name="Rosa",
        contact="+14155550144"))
    [mail] = smtp.to(coordinator.email)
    body = text_of(mail)
    assert f"/coordinator/board/{post.id}" in body
    for secret in ("formula", "Maple", "Rosa", "4155550144"):
        assert secret not in body


def test_an_answer_is_relayed_to_the_posters_phone_without_either_contact(
        app, make_user, twilio):
    post, _token = board.create_post("need", board.PostInput(
        category="food", area_id=factories.area().id, title="Rice", description="Two bags",
        contact="(415) 555-0144"))
    board.respond(post, "I have rice, call me", contact="+12025550199 Marta")
    [text] = [m["Body"] for m in twilio.sent if m["To"] == "+14155550144"]
    assert "Someone answered your post" in text
    for secret in ("rice", "Marta", "2025550199", "Two bags"):
        assert secret not in text


def test_an_answer_is_emailed_to_a_poster_who_gave_an_email(app, smtp):
    post, _token = board.create_post("offer", board.PostInput(
        category="food", area_id=factories.area().id, title="Bread", description="Daily",
        contact="baker@example.net"))
    board.respond(post, "Yes please", contact="me@example.com")
    [mail] = smtp.to("baker@example.net")
    assert "private link" in text_of(mail) and "me@example.com" not in text_of(mail)


def test_an_answer_to_a_contact_that_is_not_an_address_goes_nowhere(app, smtp, twilio):
    post, _token = board.create_post("offer", board.PostInput(
        category="food", area_id=factories.area().id, title="Bread", description="Daily",
        contact="ask at the pantry"))
    board.respond(post, "Yes please")
    assert smtp.messages == [] and twilio.sent == []


def test_a_new_report_tells_the_coordinators_on_duty(app, make_user, smtp):
    coordinator = make_user(Role.COORDINATOR, Status.VETTED)
    report = reports.create_report(reports.NewReport(
        kind="safety", area_id=None, place="corner of 5th and Main", seen="now",
        details="two vans outside the school"))
    [mail] = smtp.to(coordinator.email)
    body = text_of(mail)
    assert f"/coordinator/reports/{report.id}" in body
    assert "vans" not in body and "5th" not in body
