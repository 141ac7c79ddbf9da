"""One YES, two open questions (an invitation to alerts and a shift reminder): the newest
question gets the answer, the reply says how to answer the other, in the person's language,
and the next YES answers that one."""

from __future__ import annotations

from datetime import timedelta

import pytest

from aid.auth.models import Role
from aid.extensions import db
from aid.phones import phone_index
from aid.shifts import signups
from aid.shifts.models import Signup
from aid.sms import subscriptions
from aid.sms.models import Invitation
from aid.sms.router import dispatch, make_inbound
from aid.timeutil import utcnow
from tests.volunteers import factories

PHONE = "+12025550177"
_sid = iter(range(1, 1000))


def yes(word: str = "YES") -> str:
    reply = dispatch(make_inbound(PHONE, word, f"SM{next(_sid)}"))
    db.session.expire_all()
    return reply or ""


@pytest.fixture
def asked(app, make_user):
    """`asked(invited_hours_ago, reminded_hours_ago, language)`: a volunteer with a shift
    tomorrow whose reminder went out, and whose number was also invited to alerts."""

    def make(invited: float, reminded: float, language: str = "en") -> Signup:
        now = utcnow()
        shift = factories.shift(make_user(Role.COORDINATOR), starts_at=now + timedelta(hours=20))
        volunteer = factories.volunteer(phone=PHONE, languages=(language,))
        volunteer.locale = language
        signups.sign_up(shift.id, volunteer)
        row = db.session.scalar(db.select(Signup).where(Signup.user_id == volunteer.id))
        row.reminded_24h_at = now - timedelta(hours=reminded)
        db.session.add(Invitation(
            phone=PHONE, phone_index=phone_index(PHONE),
            choices=subscriptions.Choices(language=language).to_json(),
            created_at=now - timedelta(hours=invited), expires_at=now + timedelta(days=10)))
        db.session.commit()
        return row

    return make


def test_the_newer_invitation_is_answered_first_then_the_shift(asked):
    row = asked(invited=1, reminded=2)
    first = yes()
    assert "you will get alerts" in first
    assert "shift on" in first and "still waits for your answer: text YES to confirm" in first
    assert subscriptions.find_subscriber(PHONE) is not None
    assert db.session.get(Signup, row.id).reconfirmed_at is None

    second = yes()
    assert "you are confirmed for the" in second and "still waits" not in second
    assert db.session.get(Signup, row.id).reconfirmed_at is not None


def test_the_newer_shift_reminder_is_answered_first_then_the_invitation(asked):
    row = asked(invited=2, reminded=1)
    first = yes()
    assert "you are confirmed for the" in first
    assert "Our invitation to get alerts still waits for your answer: text YES again" in first
    assert subscriptions.find_subscriber(PHONE) is None
    assert db.session.get(Signup, row.id).reconfirmed_at is not None

    second = yes()
    assert "you will get alerts" in second and "still waits" not in second
    assert subscriptions.find_subscriber(PHONE) is not None


def test_the_reply_and_the_other_question_are_in_the_persons_language(asked):
    asked(invited=2, reminded=1, language="es")
    first = yes("Sí")
    assert "Gracias: queda confirmado/a para el turno" in first
    assert "Nuestra invitación a recibir alertas todavía espera su respuesta" in first
    second = yes("Sí")
    assert subscriptions.find_subscriber(PHONE).language == "es"
    assert "todavía espera" not in second


def test_without_a_second_question_nothing_is_added(asked, app):
    asked(invited=1, reminded=2)
    db.session.execute(db.update(Signup).values(status="withdrawn"))
    db.session.commit()
    reply = yes()
    assert "you will get alerts" in reply and "still waits" not in reply


def test_no_to_the_newer_invitation_declines_it_and_keeps_the_shift(asked):
    row = asked(invited=1, reminded=2)
    reply = dispatch(make_inbound(PHONE, "NO", "SM-no"))
    db.session.expire_all()
    assert "We will not send you alerts." in reply
    assert "still waits for your answer: text YES to confirm" in reply  # the shift's
    assert db.session.get(Signup, row.id).status == "confirmed"
    assert subscriptions.find_subscriber(PHONE) is None
    assert "you are confirmed for the" in yes()  # the next answer is the shift's
