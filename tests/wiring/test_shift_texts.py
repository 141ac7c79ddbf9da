"""Shift reminders, YES/NO answers, check-in/out by text, waitlist promotion and the missed
check-out alarm, through the gateway to a fake Twilio."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from aid.extensions import db
from aid.hotline.models import HelpRequest
from aid.network import service as network
from aid.shifts import notices, signups
from aid.shifts import sms as shift_sms
from aid.shifts.models import Signup, SignupStatus
from aid.timeutil import utcnow
from tests.fakes.fake_twilio import text_in
from tests.volunteers import factories
from tests.wiring.support import outbox, texts_to


def _place(shift, user) -> Signup:
    row = db.session.scalar(select(Signup).where(Signup.shift_id == shift.id,
                                                 Signup.user_id == user.id))
    db.session.refresh(row)
    return row


def test_reminders_go_out_24h_and_2h_before_in_the_volunteers_language(
        app, twilio, volunteer, coordinator):
    shift = factories.shift(coordinator(), starts_at=utcnow() + timedelta(hours=23))
    ana = volunteer(languages=("es",))
    ben = volunteer(languages=("en",))
    for person in (ana, ben):
        signups.sign_up(shift.id, person)
    assert shift_sms.send_due_reminders() == 2
    [spanish] = texts_to(twilio, notices.phone_of(ana.id))
    [english] = texts_to(twilio, notices.phone_of(ben.id))
    assert "Responda SÍ para confirmar o NO para dejarlo" in spanish
    assert "Reply YES to confirm or NO to drop" in english and f"/shifts/{shift.id}" in english
    assert "Elm St" not in english  # the meeting place never travels by SMS
    assert shift_sms.send_due_reminders() == 0 and len(twilio.sent) == 2
    assert {m.purpose for m in outbox("shift_reminder")} == {"shift_reminder"}
    two_hours = shift.starts_at - timedelta(hours=1, minutes=50)
    assert shift_sms.send_due_reminders(two_hours) == 2
    assert "starts at" in texts_to(twilio, notices.phone_of(ben.id))[1]


def test_a_worker_killed_mid_run_sends_each_reminder_once(app, twilio, volunteer, coordinator,
                                                          monkeypatch):
    shift = factories.shift(coordinator(), starts_at=utcnow() + timedelta(hours=20), needed=3)
    people = [volunteer() for _ in range(3)]
    for person in people:
        signups.sign_up(shift.id, person)
    real, calls = notices.queue_sms, []

    def dies_on_the_second(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise SystemExit("worker killed")
        return real(*args, **kwargs)

    monkeypatch.setattr(notices, "queue_sms", dies_on_the_second)
    with pytest.raises(SystemExit):
        shift_sms.send_due_reminders()
    db.session.rollback()  # the dead worker's transaction is gone
    monkeypatch.setattr(notices, "queue_sms", real)
    assert shift_sms.send_due_reminders() == 2  # the restarted worker does the rest
    assert shift_sms.send_due_reminders() == 0
    assert sorted(len(texts_to(twilio, notices.phone_of(p.id))) for p in people) == [1, 1, 1]


def test_yes_confirms_and_shows_on_the_roster(aid_test, app, client, twilio, volunteer, coordinator,
                                              make_user):
    shift = factories.shift(coordinator(), starts_at=utcnow() + timedelta(hours=20))
    ana = volunteer(languages=("es",))
    signups.sign_up(shift.id, ana)
    reply = text_in(client, "Sí, ahí estaré", sender=notices.phone_of(ana.id)).get_data(
        as_text=True)
    assert "queda confirmado" in reply
    assert _place(shift, ana).reconfirmed_at is not None
    aid_test.sign_in(client, make_user("coordinator"))
    page = client.get(f"/shifts/{shift.id}").get_data(as_text=True)
    assert "said YES by text" in page


def test_no_drops_the_place_moves_the_waitlist_up_and_tells_both(app, client, twilio,
                                                                 volunteer, coordinator):
    boss = coordinator()
    shift = factories.shift(boss, starts_at=utcnow() + timedelta(hours=30), needed=1)
    leaving, waiting = volunteer(), volunteer(languages=("es",))
    signups.sign_up(shift.id, leaving)
    signups.sign_up(shift.id, waiting)
    reply = text_in(client, "NO", sender=notices.phone_of(leaving.id)).get_data(as_text=True)
    assert "You are off the court date shift" in reply
    assert _place(shift, leaving).status == SignupStatus.WITHDRAWN
    assert _place(shift, waiting).status == SignupStatus.CONFIRMED
    [promoted] = texts_to(twilio, notices.phone_of(waiting.id))
    assert "ahora está confirmado/a" in promoted
    [told] = texts_to(twilio, notices.phone_of(boss.id))
    assert "a volunteer dropped" in told and "1 of 1 places taken" in told
    assert [m.purpose for m in outbox("waitlist_promoted")] == ["waitlist_promoted"]


def test_no_from_someone_without_a_shift_reaches_the_hotline(client, twilio, volunteer):
    reply = text_in(client, "No food since Monday for my kids", sender="+12025550177")
    req = db.session.scalar(select(HelpRequest))
    assert req is not None and req.code in reply.get_data(as_text=True)


def test_a_web_withdrawal_texts_whoever_moves_up(app, twilio, volunteer, coordinator):
    shift = factories.shift(coordinator(), needed=1)
    first, second = volunteer(), volunteer()
    signups.sign_up(shift.id, first)
    signups.sign_up(shift.id, second)
    signups.withdraw(shift.id, first)
    [text] = texts_to(twilio, notices.phone_of(second.id))
    assert "you are now confirmed" in text and texts_to(twilio, notices.phone_of(first.id)) == []


def test_llegue_and_sali_check_in_and_out_of_the_shift_happening_now(app, client, twilio,
                                                                     volunteer, coordinator):
    shift = factories.shift(coordinator(), starts_at=utcnow() + timedelta(minutes=20))
    ana = volunteer(languages=("es",))
    signups.sign_up(shift.id, ana)
    phone = notices.phone_of(ana.id)
    assert "Registramos su llegada" in text_in(client, "LLEGUÉ", sender=phone).get_data(
        as_text=True)
    assert _place(shift, ana).checked_in_at is not None
    assert "Salida registrada" in text_in(client, "salí", sender=phone).get_data(
        as_text=True)
    assert _place(shift, ana).checked_out_at is not None


def test_in_with_no_shift_now_says_so(app, client, twilio, volunteer, coordinator):
    later = factories.shift(coordinator(), starts_at=utcnow() + timedelta(hours=5))
    ben = volunteer()
    signups.sign_up(later.id, ben)
    reply = text_in(client, "IN", sender=notices.phone_of(ben.id)).get_data(as_text=True)
    assert "no shift of yours starting now" in reply
    assert _place(later, ben).checked_in_at is None


def _overdue(coordinator_user, volunteer):
    shift = factories.shift(coordinator_user, starts_at=utcnow() + timedelta(minutes=10),
                            minutes=60)
    person = volunteer(name="Rosa")
    signups.sign_up(shift.id, person)
    signups.check_in(shift, person, now=shift.starts_at)
    return shift, shift.ends_at + timedelta(minutes=45)


def test_missed_check_out_texts_the_shifts_coordinator_once(app, twilio, volunteer,
                                                            coordinator):
    boss = coordinator()
    shift, late = _overdue(boss, volunteer)
    assert signups.alert_missed_checkouts(late) == 1
    assert signups.alert_missed_checkouts(late + timedelta(minutes=1)) == 0
    [alarm] = texts_to(twilio, notices.phone_of(boss.id))
    assert "URGENT: Rosa has not checked out" in alarm
    assert [m.purpose for m in outbox("checkout_alarm")] == ["checkout_alarm"]


def test_without_a_coordinator_phone_the_other_coordinators_are_alarmed(
        app, twilio, volunteer, coordinator, make_user):
    other = coordinator()
    shift, late = _overdue(make_user("coordinator"), volunteer)  # no profile, no phone
    signups.alert_missed_checkouts(late)
    assert len(texts_to(twilio, notices.phone_of(other.id))) == 1


def test_with_no_coordinator_phone_at_all_the_hotline_number_is_alarmed(
        app, twilio, volunteer, make_user):
    network.save_settings(hotline_number="+12025550199")
    shift, late = _overdue(make_user("coordinator"), volunteer)
    signups.alert_missed_checkouts(late)
    assert len(texts_to(twilio, "+12025550199")) == 1


def test_the_spanish_reminder_reads_as_a_sentence_in_the_networks_time_zone(
        app, twilio, volunteer, coordinator):
    from datetime import datetime

    network.save_settings(timezone="America/Los_Angeles", network_name="Eastside")
    start = datetime(2031, 12, 2, 17, 0)  # stored as UTC: 09:00 in Los Angeles
    shift = factories.shift(coordinator(), starts_at=start)
    spanish = notices.reminder_text(shift, "24h", "es")
    english = notices.reminder_text(shift, "24h", "en")
    assert "su turno de cita en el tribunal en Eastside es el mar 2 dic, 09:00" in spanish
    assert "Responda SÍ para confirmar" in spanish
    assert "your court date shift in Eastside is on Tue 2 Dec, 09:00" in english
    assert "2031-12-02" not in spanish + english and "17:00" not in spanish + english

