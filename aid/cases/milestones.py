"""Dated milestones, and the family's side of them by text.

- Adding a hearing (bond hearing or hearing) drafts an accompaniment shift for it, through the
  shifts service: coordinators open it once the details are confirmed.
- `send_due_reminders` (periodic): 72 h and 24 h before each upcoming milestone the family's
  contact person gets a text in their language: "do you need someone to come with you? Reply
  YES or NO". Each reminder is claimed (its column set) in the same commit as the queued text,
  so a killed worker leaves either both or neither, and a second worker finds it taken.
- YES/SI and NO answer the latest reminder sent to that phone (found by blind index); the
  team is told either way (YES: arrange company; NO: check in). A text that answers no
  question of ours goes on to the keyword's owner (shifts, then the hotline).
- `escalate_silent` (periodic): no answer some hours after the second reminder tells the team.

Texts carry a date and time only: never the place, the family's or the detained person's name,
or what the date is about (SMS is read by the carrier and by whoever holds the phone).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import or_, select, update
from sqlalchemy.orm import joinedload

from aid.auth.models import User
from aid.cases.models import HEARINGS, Answer, Case, CaseState, Milestone, MilestoneKind
from aid.cases.service import is_staff, record_event, team_ids
from aid.errors import Invalid, NotAllowed
from aid.extensions import db
from aid.network.service import active_areas, current_settings
from aid.notify.service import notify, notify_on_duty
from aid.phones import BadPhone, phone_index
from aid.security import audit
from aid.shifts import service as shifts
from aid.shifts.models import ShiftKind, ShiftStatus
from aid.sms import questions, router
from aid.sms.gateway import queue_sms
from aid.sms.questions import Question
from aid.sms.router import PASS, Inbound
from aid.timeutil import to_local, utcnow

REMINDERS = (("72h", timedelta(hours=72)), ("24h", timedelta(hours=24)))
SILENCE = timedelta(hours=6)  # after the second reminder, or 2 h before the date if sooner
LAST_CALL = timedelta(hours=2)
ANSWER_GRACE = timedelta(hours=2)  # an answer a little after the time still counts
MAX_ANSWER_WORDS = 4  # "si por favor", "no gracias": longer texts are for the hotline
YES_WORDS = ("YES", "SI", "SÍ")
NO_WORDS = ("NO",)
TEXT_LANGUAGES = ("en", "es")
SHIFT_MINUTES = 180


def when(moment: datetime) -> str:
    return to_local(moment).strftime("%Y-%m-%d %H:%M")


# -- adding and removing -----------------------------------------------------------------

def add_milestone(case: Case, actor: User, kind: str, at: datetime, place: str = "",
                  remind: bool = True, draft_shift: bool = True) -> Milestone:
    """A dated step; a hearing also gets a draft accompaniment shift (unless told not to)."""
    if not is_staff(actor):
        raise NotAllowed("coordinators only")
    if kind not in set(MilestoneKind):
        raise Invalid("unknown milestone")
    row = Milestone(case_id=case.id, kind=kind, at=at, place=place.strip() or None,
                    remind=remind, created_by_id=actor.id)
    db.session.add(row)
    db.session.flush()
    record_event(case, "milestone_added", kind, actor)
    audit.record("case.milestone_added", "case", case.id, kind, actor_id=actor.id)
    db.session.commit()
    if draft_shift and kind in HEARINGS and at > utcnow():
        _draft_shift(case, row, actor)
    return row


def _draft_shift(case: Case, row: Milestone, actor: User) -> None:
    area_id = case.area_id or next((a.id for a in active_areas()), None)
    if area_id is None:
        return  # a network with no area yet cannot hold shifts
    data = shifts.ShiftData(
        kind=ShiftKind.COURT, status=ShiftStatus.DRAFT, starts_at=row.at,
        duration_minutes=SHIFT_MINUTES, area_id=area_id, needed=None, skills=[],
        languages=[case.language] if case.language else [],
        # Read by every vetted volunteer once opened: the case number, nothing about anyone.
        summary=_shift_summary(case), meeting_place=row.place or "")
    shift = shifts.create_shift(data, actor, request_id=case.request_id)
    row.shift_id = shift.id
    record_event(case, "shift_drafted", f"shift {shift.id}", actor)
    db.session.commit()


def _shift_summary(case: Case) -> str:
    languages = current_settings().language_list
    with force_locale(languages[0] if languages else "en"):  # the network's first language
        return _("Accompaniment to a hearing (case %(n)d)", n=case.id)


def delete_milestone(case: Case, milestone_id: int, actor: User) -> None:
    if not is_staff(actor):
        raise NotAllowed("coordinators only")
    row = db.session.get(Milestone, milestone_id)
    if row is None or row.case_id != case.id:
        raise Invalid("no such milestone")
    db.session.delete(row)
    record_event(case, "milestone_removed", row.kind, actor)
    audit.record("case.milestone_removed", "case", case.id, row.kind, actor_id=actor.id)
    db.session.commit()


def milestones(case: Case) -> list[Milestone]:
    return list(db.session.scalars(select(Milestone).where(Milestone.case_id == case.id)
                                   .order_by(Milestone.at, Milestone.id)))


# -- reminders ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Due:
    milestone: Milestone
    which: str  # "72h" or "24h"


def _column(which: str):  # noqa: ANN202 (an instrumented column)
    return {"72h": Milestone.reminded_72h_at, "24h": Milestone.reminded_24h_at}[which]


def due_reminders(now: datetime) -> list[Due]:
    """Which reminders are due now. Inside 24 h only the 24 h one is (a "in three days" text
    would be wrong), so a date added late gets one reminder, not two at once."""
    rows = db.session.scalars(
        select(Milestone).join(Case, Case.id == Milestone.case_id)
        .where(Case.status == CaseState.OPEN, Case.contact_phone_index.is_not(None),
               Milestone.remind.is_(True), Milestone.answer.is_(None),
               Milestone.at > now, Milestone.at <= now + REMINDERS[0][1])
        .order_by(Milestone.at, Milestone.id))
    due = []
    for row in rows:
        if row.at - now <= REMINDERS[1][1]:
            if row.reminded_24h_at is None:
                due.append(Due(row, "24h"))
        elif row.reminded_72h_at is None:
            due.append(Due(row, "72h"))
    return due


def claim_reminder(milestone_id: int, which: str, now: datetime, commit: bool = True) -> bool:
    """Mark a reminder sent before sending it; False if another worker already did."""
    column = _column(which)
    result = db.session.execute(update(Milestone).where(Milestone.id == milestone_id,
                                                        column.is_(None))
                                .values({column.key: now}))
    if commit:
        db.session.commit()
    return result.rowcount == 1  # type: ignore[attr-defined]


def locale_of(case: Case) -> str:
    return case.language if case.language in TEXT_LANGUAGES else "en"


def reminder_text(row: Milestone, locale: str) -> str:
    with force_locale(locale):
        return _("Reminder: you have an important date on %(when)s. Do you need someone to "
                 "come with you? Reply YES or NO.", when=when(row.at))


def send_due_reminders(now: datetime | None = None) -> int:
    """Claim and queue every family reminder due now; returns how many were queued."""
    now = now or utcnow()
    sent = 0
    for due in due_reminders(now):
        row = due.milestone
        case = db.session.get(Case, row.case_id)
        if case is None or not claim_reminder(row.id, due.which, now, commit=False):
            db.session.rollback()
            continue  # another worker has it
        phone, text = case.contact_phone, reminder_text(row, locale_of(case))
        record_event(case, "reminder_sent", due.which)
        audit.record("case.reminder_sent", "case", case.id, due.which, actor_id=None)
        try:
            # The gateway's commit stores the claim, the timeline line and the text together.
            queue_sms(phone or "", text, purpose="case_reminder",
                      validity_period=int(max(60, min((row.at - now).total_seconds(),
                                                      12 * 3600))))
        except BadPhone:
            db.session.commit()  # keep the claim: an unusable number is not retried each run
            continue
        sent += 1
    return sent


# -- the team is told --------------------------------------------------------------------

def _tell_team(case: Case, row: Milestone, kind: str, now: datetime) -> int:
    params, path = {"when": when(row.at)}, f"/cases/{case.id}"
    people = team_ids(case)
    if not people:  # nobody on the case: the coordinators on duty must hear of it
        return len(notify_on_duty(kind, path=path, params=params, now=now,
                                  dedupe=f"case-{row.id}-{kind}"))
    return sum(len(notify(uid, kind, path=path, params=params, now=now,
                          dedupe=f"case-{row.id}-{kind}-{uid}")) for uid in people)


def _claim_escalation(row_id: int, answer: str, now: datetime) -> bool:
    result = db.session.execute(
        update(Milestone).where(Milestone.id == row_id, Milestone.escalated_at.is_(None))
        .values(escalated_at=now, answer=answer,
                answered_at=now if answer != Answer.NONE else None))
    db.session.commit()
    return result.rowcount == 1  # type: ignore[attr-defined]


def escalate_silent(now: datetime | None = None) -> int:
    """Tell the team about every family that did not answer the second reminder."""
    now = now or utcnow()
    rows = list(db.session.scalars(
        select(Milestone).join(Case, Case.id == Milestone.case_id)
        .where(Case.status == CaseState.OPEN, Milestone.reminded_24h_at.is_not(None),
               Milestone.answer.is_(None), Milestone.escalated_at.is_(None),
               or_(Milestone.reminded_24h_at <= now - SILENCE,
                   Milestone.at <= now + LAST_CALL))))
    told = 0
    for row in rows:
        if not _claim_escalation(row.id, Answer.NONE, now):
            continue  # another worker told them
        case = db.session.get(Case, row.case_id)
        if case is None:
            continue
        record_event(case, "family_silent", row.kind)
        audit.record("case.family_silent", "case", case.id, row.kind, actor_id=None)
        db.session.commit()
        _tell_team(case, row, "case_family_silent", now)
        told += 1
    return told


# -- answers by text ---------------------------------------------------------------------

def awaiting_answer(phone: str, now: datetime) -> tuple[Case, Milestone] | None:
    """The earliest milestone a reminder went to this phone about, still unanswered."""
    key = phone_index(phone)
    if key is None:
        return None
    found = db.session.execute(
        select(Case, Milestone).join(Milestone, Milestone.case_id == Case.id)
        .options(joinedload(Case.coordinator))
        .where(Case.contact_phone_index == key, Case.status == CaseState.OPEN,
               or_(Milestone.reminded_72h_at.is_not(None),
                   Milestone.reminded_24h_at.is_not(None)),
               Milestone.answer.is_(None), Milestone.at > now - ANSWER_GRACE)
        .order_by(Milestone.at, Milestone.id).limit(1)).first()
    return (found[0], found[1]) if found else None


def record_answer(case: Case, row: Milestone, answer: str, now: datetime) -> bool:
    """The family's YES or NO: on the timeline, and the team told once."""
    if not _claim_escalation(row.id, answer, now):
        return False
    record_event(case, f"family_{answer}", row.kind)
    audit.record(f"case.family_{answer}", "case", case.id, row.kind, actor_id=None)
    db.session.commit()
    _tell_team(case, row, "case_family_yes" if answer == Answer.YES else "case_family_no", now)
    return True


QUESTION = "case"


def open_question(phone: str, now: datetime) -> Question | None:
    """The family's reminder still waiting for a YES or NO (see `aid.sms.questions`)."""
    found = awaiting_answer(phone, now)
    if found is None:
        return None
    row = found[1]
    asked = max(t for t in (row.reminded_72h_at, row.reminded_24h_at) if t is not None)
    at = row.at
    return Question(QUESTION, asked, lambda: _(
        "Our reminder about your date on %(when)s still waits for your answer: text YES or "
        "NO.", when=when(at)))


def _answer(inbound: Inbound, answer: str) -> str | None | router.Pass:
    if len(inbound.words) > MAX_ANSWER_WORDS:
        return PASS
    now = utcnow()
    found = awaiting_answer(inbound.phone, now)
    if found is None or not questions.is_newest(QUESTION, inbound.phone, now):
        return PASS  # not an answer to a case reminder: the newer question, shifts, hotline
    case, row = found
    record_answer(case, row, answer, now)
    with force_locale(locale_of(case)):
        if answer == Answer.YES:
            reply = _("Thank you. Someone from the team will contact you to arrange company.")
        else:
            reply = _("Thank you for telling us. If anything changes, write to us here.")
        return questions.with_still_open(reply, inbound.phone, now, QUESTION)


def answer_yes(inbound: Inbound) -> str | None | router.Pass:
    return _answer(inbound, Answer.YES)


def answer_no(inbound: Inbound) -> str | None | router.Pass:
    return _answer(inbound, Answer.NO)


def register() -> None:
    """Ask the router to show us YES/NO texts first; once per app, safe to repeat."""
    questions.on_question(QUESTION)(open_question)
    router.on_answer(*YES_WORDS)(answer_yes)
    router.on_answer(*NO_WORDS)(answer_no)
