"""Issue 6: after STOP, no code path texts that number, whichever feature asks."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from aid.extensions import db
from aid.hotline import service as hotline
from aid.hotline.models import HelpRequest
from aid.shifts import signups
from aid.shifts import sms as shift_sms
from aid.sms.models import OutboundMessage
from aid.sms.subscriptions import start_verification
from aid.timeutil import utcnow
from tests.fakes.fake_twilio import text_in
from tests.volunteers import factories
from tests.wiring.support import texts_to

NUMBER = "+12025550144"


def test_after_stop_no_sender_reaches_the_number(app, client, twilio, volunteer, coordinator,
                                                 make_user):
    # One person who is a requester, a volunteer and a coordinator's phone all at once.
    text_in(client, "I need help with the rent", sender=NUMBER)
    req = db.session.scalar(select(HelpRequest))
    boss = coordinator(phone=NUMBER)
    me = volunteer(phone=NUMBER)
    soon = factories.shift(boss, starts_at=utcnow() + timedelta(hours=20), needed=1)
    other = volunteer()
    signups.sign_up(soon.id, other)
    signups.sign_up(soon.id, me)  # waitlisted
    now_shift = factories.shift(boss, starts_at=utcnow() + timedelta(minutes=5), minutes=30)
    signups.sign_up(now_shift.id, me)
    signups.check_in(now_shift, me, now=now_shift.starts_at)
    twilio.reset()

    stop = text_in(client, "STOP", sender=NUMBER).get_data(as_text=True)
    assert "no more texts" in stop

    assert hotline.send_reply(req, "A lawyer will call you",
                              make_user("coordinator")) == "suppressed"
    signups.withdraw(soon.id, other)  # I move up from the waitlist: a promotion text
    assert shift_sms.send_due_reminders() == 2  # both my shifts' reminders fall due
    signups.alert_missed_checkouts(now_shift.ends_at + timedelta(hours=1))  # alarm to boss
    start_verification(NUMBER, "subscribe")  # a subscription code

    assert texts_to(twilio, NUMBER) == []
    rows = db.session.scalars(select(OutboundMessage)).all()
    mine = [m for m in rows if m.to == NUMBER]
    assert {m.purpose for m in mine} >= {"waitlist_promoted", "shift_reminder",
                                          "verification"}
    assert {m.status for m in mine} == {"suppressed"}
    assert twilio.sent == []  # the alarm had nobody else to go to
