"""The shifts' side of SMS: reminders out, and the answers volunteers text back.

- `send_due_reminders` (periodic): 24 h and 2 h before a shift, each confirmed volunteer gets
  a text; each reminder is claimed before it is sent, in the same commit as the queued text.
- `YES`/`SI` confirms the volunteer's next shift within 48 hours; `NO` drops it (the place
  frees, the waitlist moves up, the coordinator is told).
- `IN`/`LLEGUE` and `OUT`/`SALI` check the volunteer in or out of the shift happening now.

The sender is found by the blind index of the phone on their volunteer profile. These words
are also ordinary words ("in the street there are agents", "no food"): a text is taken as an
answer only when it is short and comes from a vetted volunteer; anything else goes on to the
hotline, so nobody's plea is swallowed.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import force_locale
from flask_babel import gettext as _

from aid.auth.models import User
from aid.extensions import db
from aid.phones import BadPhone
from aid.shifts import notices, signups
from aid.shifts.labels import kind_in_sentence
from aid.shifts.models import SignupStatus
from aid.shifts.signups import ShiftError
from aid.sms import questions, router
from aid.sms.questions import Question
from aid.sms.router import Inbound
from aid.timeutil import utcnow
from aid.volunteers.service import language_of, users_by_phone

YES_WORDS = ("YES", "SI", "SÍ")
NO_WORDS = ("NO",)
IN_WORDS = ("IN", "LLEGUE", "LLEGUÉ")
OUT_WORDS = ("OUT", "SALI", "SALÍ")
MAX_ANSWER_WORDS = 4  # "si, ahí estaré", "NO puedo ir": longer texts are for the hotline
SPANISH_FIRST = {"SI", "LLEGUE", "SALI"}
ENGLISH_FIRST = {"YES", "IN", "OUT"}


# -- reminders ---------------------------------------------------------------------------

def send_due_reminders(now: datetime | None = None) -> int:
    """Claim and queue every reminder due now; returns how many were queued."""
    now = now or utcnow()
    sent = 0
    for due in signups.due_reminders(now):
        row = due.signup
        if not signups.claim_reminder(row.id, due.which, now, commit=False):
            db.session.rollback()
            continue  # another worker has it
        try:
            status = notices.send_reminder(row.shift, row.user, due.which)  # commits the claim
        except BadPhone:
            status = None
        if status is None:
            db.session.commit()  # no usable phone: keep the claim, do not retry every minute
            continue
        sent += 1
    return sent


# -- answers -----------------------------------------------------------------------------

def _sender(inbound: Inbound) -> list[User] | None:
    """The vetted volunteers with this phone, when the text is short enough to be an answer."""
    if len(inbound.words) > MAX_ANSWER_WORDS:
        return None
    return users_by_phone(inbound.phone) or None


def _locale(inbound: Inbound, user: User) -> str:
    first = inbound.words[0] if inbound.words else ""
    if first in SPANISH_FIRST:
        return "es"
    if first in ENGLISH_FIRST:
        return "en"
    return language_of(user)  # NO is the same word in both


QUESTION = "shift"


def open_question(phone: str, now: datetime) -> Question | None:
    """A reminder we texted about the volunteer's next shift, not answered since."""
    people = users_by_phone(phone)
    row = signups.next_upcoming([u.id for u in people], now) if people else None
    if row is None:
        return None
    asked = max((t for t in (row.reminded_24h_at, row.reminded_2h_at) if t is not None),
                default=None)
    if asked is None or (row.reconfirmed_at is not None and row.reconfirmed_at >= asked):
        return None
    kind, starts_at = row.shift.kind, row.shift.starts_at
    return Question(QUESTION, asked, lambda: _(
        "Your %(kind)s shift on %(when)s still waits for your answer: text YES to confirm "
        "it or NO to drop it.", kind=_kind(kind), when=notices.when(starts_at)))


def answer_yes(inbound: Inbound) -> str | None:
    people = _sender(inbound)
    if people is None:
        return router.fallback(inbound)
    now = utcnow()
    row = signups.next_upcoming([u.id for u in people], now)
    with force_locale(_locale(inbound, people[0])):
        if row is None:
            reply = _("We found no shift of yours in the next two days.")
        elif row.status == SignupStatus.WAITLISTED:
            reply = _("You are on the waitlist for the %(kind)s shift on %(when)s. We will "
                      "text you if a place opens.", kind=_kind(row.shift.kind),
                      when=notices.when(row.shift.starts_at))
        else:
            facts = {"kind": _kind(row.shift.kind), "when": notices.when(row.shift.starts_at)}
            signups.reconfirm(row)
            reply = _("Thank you: you are confirmed for the %(kind)s shift on %(when)s.",
                      **facts)
        # Another question we texted them (older than this shift's: a newer one would have
        # taken the YES) is still open: say how to answer it.
        return questions.with_still_open(reply, inbound.phone, now, QUESTION)


def answer_no(inbound: Inbound) -> str | None:
    people = _sender(inbound)
    if people is None:
        return router.fallback(inbound)
    now = utcnow()
    row = signups.next_upcoming([u.id for u in people], now)
    if row is None:
        # "No" from a volunteer with nothing coming up is not an answer to us: the hotline
        # reads it rather than losing it.
        return router.fallback(inbound)
    shift, user = row.shift, row.user
    was_confirmed = row.status == SignupStatus.CONFIRMED
    with force_locale(_locale(inbound, user)):
        facts = {"kind": _kind(shift.kind), "when": notices.when(shift.starts_at)}
        try:
            signups.withdraw(shift.id, user, reason="sms")
        except ShiftError:
            return _("We could not take you off that shift. Please call the coordinator.")
        if was_confirmed:
            notices.tell_dropped(shift, signups.confirmed_count(shift.id))
        reply = _("You are off the %(kind)s shift on %(when)s. Thank you for telling us.",
                  **facts)
        return questions.with_still_open(reply, inbound.phone, now, QUESTION)


def answer_in(inbound: Inbound) -> str | None:
    people = _sender(inbound)
    if people is None:
        return router.fallback(inbound)
    now = utcnow()
    rows = signups.current_places([u.id for u in people], now)
    with force_locale(_locale(inbound, people[0])):
        if not rows:
            return _("We found no shift of yours starting now.")
        waiting = [r for r in rows if r.checked_in_at is None]
        if not waiting:
            return _("You are already checked in. Text OUT when you leave.")
        row = waiting[0]
        signups.check_in(row.shift, row.user, now)
        return _("Checked in to the %(kind)s shift. Text OUT when you leave.",
                 kind=_kind(row.shift.kind))


def answer_out(inbound: Inbound) -> str | None:
    people = _sender(inbound)
    if people is None:
        return router.fallback(inbound)
    now = utcnow()
    rows = signups.current_places([u.id for u in people], now)
    with force_locale(_locale(inbound, people[0])):
        inside = [r for r in rows if r.checked_in_at is not None and r.checked_out_at is None]
        if not inside:
            return _("You are not checked in to a shift now. Text IN when you arrive.")
        row = inside[0]
        signups.check_out(row.shift, row.user, now)
        return _("Checked out. Thank you, and take care.")


def _kind(kind: str) -> str:
    return kind_in_sentence(kind)


def register() -> None:
    """Hook the answers into the SMS router; once per app, safe to repeat (same handlers)."""
    questions.on_question(QUESTION)(open_question)
    router.on_keywords(*YES_WORDS)(answer_yes)
    router.on_keywords(*NO_WORDS)(answer_no)
    router.on_keywords(*IN_WORDS)(answer_in)
    router.on_keywords(*OUT_WORDS)(answer_out)
