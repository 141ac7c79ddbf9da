"""Each event reaches the right people, by the channels they chose, without personal details."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from aid import tasks
from aid.auth.models import Role, Status
from aid.extensions import db
from aid.hotline import notices
from aid.hotline import service as hotline
from aid.hotline.models import Channel, HelpRequest
from aid.network import service as network
from aid.notify import sending
from aid.notify import service as notify
from aid.notify.models import NoteState, Notification
from aid.timeutil import utcnow
from aid.volunteers import service as volunteers
from tests.fakes.smtp_server import html_of, text_of

NAME, PHONE, PLACE, DETAILS = "Ana Quispe", "+14155550123", "14 Elm Street", "no food since Monday"


@pytest.fixture
def make_request(app):
    area = network.add_area("Riverside")

    def make(channel: Channel = Channel.WEB, **values):
        fields = {"category": "food", "urgency": "days", "area_id": area.id, "language": "en",
                  "contact_method": "sms", "details": f"{DETAILS} at {PLACE}", "name": NAME,
                  "phone": PHONE}
        fields.update(values)
        req, _token = hotline.create_request(hotline.Intake(**fields), channel)
        return req

    return make


def assert_no_personal(*bodies: str) -> None:
    for body in bodies:
        for secret in (NAME, PHONE, PLACE, DETAILS, "Elm", "Quispe", "4155550123"):
            assert secret not in body, f"{secret!r} leaked into {body!r}"


def sms_to(twilio, phone: str) -> list[str]:
    return [m["Body"] for m in twilio.sent if m["To"] == phone]


def test_assignment_emails_and_texts_the_volunteer_a_link_only(
        app, make_request, make_user, volunteer, smtp, twilio):
    coordinator = make_user(Role.COORDINATOR, Status.VETTED)
    vol = volunteer(phone="+12025550111")
    req = make_request(urgency="weeks")
    hotline.assign(req, vol, coordinator)
    [mail] = smtp.to(vol.email)
    link = f"https://aid.example.org/my/requests/{req.id}"
    assert "A request was assigned to you" in text_of(mail) and link in text_of(mail)
    assert link in html_of(mail)
    [text] = sms_to(twilio, "+12025550111")
    assert "A request was assigned to you" in text and link in text
    assert_no_personal(text_of(mail), html_of(mail), mail["Subject"], text)


def ask_on_the_web(aid_test, client, area_id: int, **overrides) -> HelpRequest:
    values = {"category": "food", "urgency": "days", "area": str(area_id), "language": "en",
              "contact_method": "sms", "name": NAME, "phone": "(415) 555-0123",
              "details": DETAILS, "consent": "y"}
    values.update(overrides)
    response = aid_test.post_form(client, "/help", values)
    assert response.status_code == 302, response.get_data(as_text=True)
    return db.session.scalars(select(HelpRequest).order_by(HelpRequest.id.desc())).first()


def test_web_requester_with_a_phone_gets_their_code_by_text(aid_test, app, client, twilio):
    req = ask_on_the_web(aid_test, client, network.add_area("Riverside").id)
    [text] = sms_to(twilio, PHONE)
    assert req.code in text and f"STATUS {req.code}" in text
    assert_no_personal(text)


def test_requester_choosing_check_back_is_not_texted(aid_test, app, client, twilio):
    ask_on_the_web(aid_test, client, network.add_area("Riverside").id, contact_method="check_back")
    assert sms_to(twilio, PHONE) == []


def test_code_text_is_in_the_requesters_language(aid_test, app, client, twilio):
    req = ask_on_the_web(aid_test, client, network.add_area("Riverside").id, language="es")
    [text] = sms_to(twilio, PHONE)
    assert f"Su código es {req.code}" in text


def test_urgent_request_reaches_on_duty_coordinators_at_once(
        app, make_request, make_user, smtp):
    today = utcnow().weekday()
    on_duty = make_user(Role.COORDINATOR, Status.VETTED)
    off_duty = make_user(Role.COORDINATOR, Status.VETTED)
    notify.save_preferences(off_duty.id, channels={}, quiet_start=None, quiet_end=None,
                            locale=None, on_duty_days=[(today + 1) % 7])
    req = make_request(urgency="now")
    [mail] = smtp.to(on_duty.email)
    assert f"/coordinator/requests/{req.id}" in text_of(mail)
    assert "urgent" in text_of(mail)
    assert smtp.to(off_duty.email) == []
    assert_no_personal(text_of(mail))


def test_other_requests_wait_for_one_daily_digest(app, make_request, make_user, smtp):
    coordinator = make_user(Role.COORDINATOR, Status.VETTED)
    make_request(urgency="days")
    make_request(urgency="weeks", phone="+14155550999")
    assert smtp.to(coordinator.email) == []
    sending.send_digests(utcnow() + timedelta(days=1, minutes=1))
    [mail] = smtp.to(coordinator.email)
    assert "2 new requests" in text_of(mail)
    sending.send_digests(utcnow() + timedelta(days=2, minutes=1))
    assert len(smtp.to(coordinator.email)) == 1  # folded rows are not sent again


def test_requester_texting_again_tells_the_assignee(
        app, make_request, make_user, volunteer, smtp):
    coordinator = make_user(Role.COORDINATOR, Status.VETTED)
    vol = volunteer()
    req = make_request(urgency="weeks")
    hotline.assign(req, vol, coordinator)
    smtp.reset()
    hotline.add_message(req, f"my address is {PLACE}")
    [mail] = smtp.to(vol.email)
    assert "sent a new message" in text_of(mail)
    assert smtp.to(coordinator.email) == []
    assert_no_personal(text_of(mail))


def test_requester_texting_with_nobody_assigned_tells_the_coordinators(
        app, make_request, make_user, smtp):
    coordinator = make_user(Role.COORDINATOR, Status.VETTED)
    req = make_request(urgency="weeks")
    hotline.add_message(req, "hello?")
    [mail] = smtp.to(coordinator.email)
    assert "sent a new message" in text_of(mail)


def test_a_stale_request_is_escalated_once(app, make_request, make_user, smtp):
    coordinator = make_user(Role.COORDINATOR, Status.VETTED)
    req = make_request(urgency="weeks")
    later = utcnow() + timedelta(hours=30)
    assert notices.escalate_stale(later) == 1
    notices.escalate_stale(later)
    mails = [m for m in smtp.to(coordinator.email) if "waited" in text_of(m)]
    assert len(mails) == 1 and f"/coordinator/requests/{req.id}" in text_of(mails[0])


def test_applicant_with_enough_vouches_is_ready_to_confirm(app, make_user, smtp):
    coordinator = make_user(Role.COORDINATOR, Status.VETTED)
    applicant = make_user(Role.VOLUNTEER, Status.APPLIED)
    profile = volunteers.add_profile(applicant, volunteers.ProfileData(
        display_name=applicant.display_name, phone="+12025550177", languages=["en"],
        skills=[], area_ids=[], availability=[], referral=""))
    db.session.commit()
    first, second = (make_user(Role.VOLUNTEER, Status.VETTED) for _ in range(2))
    volunteers.vouch(profile, first)
    assert smtp.to(coordinator.email) == []
    volunteers.vouch(profile, second)
    [mail] = smtp.to(coordinator.email)
    assert f"/coordinator/volunteers/{applicant.id}" in text_of(mail)
    assert applicant.display_name not in text_of(mail)


def test_every_row_is_recorded_with_its_state(app, make_request, make_user, volunteer):
    coordinator = make_user(Role.COORDINATOR, Status.VETTED)
    vol = volunteer()
    hotline.assign(make_request(urgency="weeks"), vol, coordinator)
    rows = db.session.scalars(select(Notification).where(Notification.user_id == vol.id)).all()
    assert {(r.kind, r.channel, r.state) for r in rows} == {
        ("assigned", "email", NoteState.SENT), ("assigned", "sms", NoteState.SENT)}


def test_asking_for_help_does_not_wait_for_the_coordinators_notices(
        aid_test, app, client, make_user, smtp):
    coordinator = make_user(Role.COORDINATOR, Status.VETTED)
    tasks.huey._immediate = False  # as in production: the web enqueues, a worker runs
    tasks.huey.storage = tasks.huey.create_storage()
    tasks.huey.flush()
    req = ask_on_the_web(aid_test, client, network.add_area("Riverside").id, urgency="now",
                         contact_method="check_back")
    # The answer came before any notice was written...
    assert db.session.scalars(select(Notification)).all() == []
    # ...and the job the worker runs tells the coordinator on duty.
    while (job := tasks.huey.dequeue()) is not None:
        tasks.huey.execute(job)
    [mail] = smtp.to(coordinator.email)
    assert f"/coordinator/requests/{req.id}" in text_of(mail) and "urgent" in text_of(mail)
