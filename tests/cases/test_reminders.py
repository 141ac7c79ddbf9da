"""Milestones: a hearing drafts a shift; the family is texted 72 h and 24 h before, in their
language, without place or names; NO, or silence after the second reminder, tells the team."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from aid.cases import milestones, service
from aid.cases.models import Milestone
from aid.extensions import db
from aid.notify.models import Notification
from aid.phones import phone_index
from aid.shifts.models import Shift
from aid.sms import subscriptions
from aid.sms.models import Invitation
from aid.timeutil import utcnow
from tests.cases.support import FAMILY_PHONE
from tests.fakes.fake_twilio import text_in
from tests.volunteers import factories

PLACE = "Immigration court, 26 Federal Plaza, room 1237"


def _texts(twilio, phone: str = FAMILY_PHONE) -> list[str]:
    return [m["Body"] for m in twilio.sent if m["To"] == phone]


def _told(kind: str) -> set[int]:
    return {n.user_id for n in db.session.scalars(
        select(Notification).where(Notification.kind == kind))}


def _hearing(case, coordinator, days: float = 5):
    at = (utcnow() + timedelta(days=days)).replace(second=0, microsecond=0)
    return milestones.add_milestone(case, coordinator, "hearing", at, PLACE)


def test_a_hearing_drafts_a_shift_and_texts_the_family_72h_and_24h_before(
        app, make_case, coordinator, twilio):
    case = make_case(name="Lucia Gomez")
    row = _hearing(case, coordinator)
    shift = db.session.get(Shift, row.shift_id)
    assert shift.status == "draft" and shift.kind == "court" and shift.starts_at == row.at
    assert shift.meeting_place == PLACE and "Lucia" not in shift.summary
    assert shift.languages_wanted == "es"

    assert milestones.send_due_reminders(now=row.at - timedelta(hours=73)) == 0
    three_days = row.at - timedelta(hours=71)
    assert milestones.send_due_reminders(now=three_days) == 1
    assert milestones.send_due_reminders(now=three_days + timedelta(minutes=5)) == 0  # once
    [first] = _texts(twilio)
    assert "¿Necesita que alguien le acompañe?" in first and "SI o NO" in first
    for secret in ("Lucia", "Gomez", "Federal Plaza", "1237", "court", "corte", "Marisol"):
        assert secret.lower() not in first.lower()

    day_before = row.at - timedelta(hours=23)
    assert milestones.send_due_reminders(now=day_before) == 1
    assert milestones.send_due_reminders(now=day_before) == 0
    assert len(_texts(twilio)) == 2
    db.session.refresh(row)
    assert row.reminded_72h_at == three_days and row.reminded_24h_at == day_before


def test_an_english_contact_is_texted_in_english_and_a_late_date_gets_one_reminder(
        app, make_case, coordinator, twilio):
    case = make_case(language="en")
    row = _hearing(case, coordinator, days=0.5)  # twelve hours away
    assert milestones.send_due_reminders(now=utcnow()) == 1
    [text] = _texts(twilio)
    assert "Do you need someone to come with you? Reply YES or NO." in text
    db.session.refresh(row)
    assert row.reminded_72h_at is None and row.reminded_24h_at is not None


def test_a_reminder_claimed_by_another_worker_is_not_sent_again(
        app, make_case, coordinator, twilio):
    row = _hearing(make_case(), coordinator)
    now = row.at - timedelta(hours=70)
    assert milestones.claim_reminder(row.id, "72h", now) is True  # another worker has it
    assert milestones.send_due_reminders(now=now) == 0
    assert _texts(twilio) == []


def test_no_by_text_tells_the_case_team(app, client, make_case, coordinator, twilio):
    case = make_case()
    member = factories.volunteer()
    service.add_member(case, member.id, coordinator)
    row = _hearing(case, coordinator)
    milestones.send_due_reminders(now=row.at - timedelta(hours=70))
    answer = text_in(client, "No", sender=FAMILY_PHONE)
    assert "Gracias por avisarnos" in answer.get_data(as_text=True)
    db.session.refresh(row)
    assert row.answer == "no" and row.escalated_at is not None
    assert _told("case_family_no") == {coordinator.id, member.id}
    # No second reminder once they answered, and nothing more to tell.
    assert milestones.send_due_reminders(now=row.at - timedelta(hours=20)) == 0
    assert milestones.escalate_silent(now=row.at - timedelta(hours=1)) == 0


def test_yes_asks_the_team_to_arrange_company(app, client, make_case, coordinator, twilio):
    case = make_case()
    row = _hearing(case, coordinator)
    milestones.send_due_reminders(now=row.at - timedelta(hours=70))
    answer = text_in(client, "Sí por favor", sender=FAMILY_PHONE)
    assert "Alguien del equipo" in answer.get_data(as_text=True)
    db.session.refresh(row)
    assert row.answer == "yes"
    assert _told("case_family_yes") == {coordinator.id}


def test_no_answer_after_the_second_reminder_tells_the_team(
        app, make_case, coordinator, twilio):
    case = make_case()
    row = _hearing(case, coordinator)
    milestones.send_due_reminders(now=row.at - timedelta(hours=70))
    assert milestones.escalate_silent(now=row.at - timedelta(hours=48)) == 0  # one reminder
    second = row.at - timedelta(hours=23)
    milestones.send_due_reminders(now=second)
    assert milestones.escalate_silent(now=second + timedelta(hours=1)) == 0  # still time
    assert milestones.escalate_silent(now=second + timedelta(hours=6)) == 1
    assert milestones.escalate_silent(now=second + timedelta(hours=7)) == 0  # told once
    db.session.refresh(row)
    assert row.answer == "none"
    assert _told("case_family_silent") == {coordinator.id}


def test_a_no_that_answers_no_case_reminder_goes_on_to_the_hotline(
        app, client, make_case, coordinator, twilio):
    case = make_case()
    row = _hearing(case, coordinator)  # no reminder sent yet
    text_in(client, "NO", sender=FAMILY_PHONE)
    text_in(client, "NO", sender="+12025550199")
    db.session.refresh(row)
    assert row.answer is None
    from aid.hotline.models import HelpRequest

    assert db.session.scalar(select(HelpRequest.id).limit(1)) is not None  # the hotline has it


def test_a_closed_case_and_an_unreminded_date_send_nothing(app, make_case, coordinator, twilio):
    case = make_case()
    row = _hearing(case, coordinator)
    quiet = milestones.add_milestone(case, coordinator, "bond_hearing",
                                     row.at + timedelta(hours=1), remind=False)
    assert quiet.shift_id is not None  # still drafted
    service.close_case(case, coordinator)
    assert milestones.send_due_reminders(now=row.at - timedelta(hours=70)) == 0
    assert db.session.scalar(select(Milestone).where(Milestone.id == quiet.id)).remind is False


def test_a_family_also_invited_to_alerts_has_each_yes_answered_in_turn(
        app, client, make_case, coordinator, twilio):
    case = make_case()
    row = _hearing(case, coordinator)
    db.session.add(Invitation(  # their number came from another texting service too
        phone=FAMILY_PHONE, phone_index=phone_index(FAMILY_PHONE),
        choices=subscriptions.Choices(language="es").to_json(),
        created_at=utcnow() - timedelta(hours=1), expires_at=utcnow() + timedelta(days=10)))
    db.session.commit()
    milestones.send_due_reminders(now=row.at - timedelta(hours=70))  # the newer question

    first = text_in(client, "Sí", sender=FAMILY_PHONE).get_data(as_text=True)
    assert "Alguien del equipo" in first
    assert "Nuestra invitación a recibir alertas todavía espera su respuesta" in first
    assert subscriptions.find_subscriber(FAMILY_PHONE) is None
    db.session.refresh(row)
    assert row.answer == "yes"

    second = text_in(client, "Sí", sender=FAMILY_PHONE).get_data(as_text=True)
    assert "recibirá alertas" in second and "todavía espera" not in second
    assert subscriptions.find_subscriber(FAMILY_PHONE) is not None
