"""Case rules: opening a case from where the detention was learnt of, who may open it (the
case team, coordinators and admins: need-to-know), the team, the timeline, closing.

Dated milestones, the family's reminders and their answers are in `aid.cases.milestones`;
the legal-support directory in `aid.cases.legal`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import joinedload

from aid.alerts.models import Report
from aid.auth.models import Status, User
from aid.cases.models import Case, CaseMember, CaseNote, CaseState, Need
from aid.errors import Conflict, Invalid, NotAllowed, NotFound
from aid.extensions import db
from aid.hotline.models import HelpRequest
from aid.notify.service import notify
from aid.phones import phone_index
from aid.security import audit
from aid.security.access import Level
from aid.shifts.models import Shift, ShiftReport
from aid.timeutil import utcnow

DETAINED = "detained"  # the after-action outcome that opens a case
MAX_NOTE = 4000


@dataclass
class CaseData:
    contact_name: str
    contact_phone: str  # E.164 (the form normalised it) or ""
    language: str
    area_id: int | None
    needs: list[str] = field(default_factory=list)


@dataclass
class Source:
    """Where a new case comes from, and what it fills in."""

    request_id: int | None = None
    alert_report_id: int | None = None
    shift_report_id: int | None = None
    area_id: int | None = None
    language: str | None = None
    contact_name: str = ""
    contact_phone: str = ""

    @property
    def named(self) -> bool:
        return bool(self.request_id or self.alert_report_id or self.shift_report_id)


# -- who may do what ---------------------------------------------------------------------

def is_staff(user: User) -> bool:
    return user.is_authenticated and user.level >= Level.COORDINATOR


def on_team(case: Case, user: User) -> bool:
    if case.coordinator_id == user.id:
        return True
    return db.session.scalar(select(CaseMember.id).where(
        CaseMember.case_id == case.id, CaseMember.user_id == user.id)) is not None


def may_open(case: Case, user: User) -> bool:
    """Need-to-know: the case's team, coordinators and admins; nobody else."""
    if not user.is_authenticated or not user.is_active:
        return False
    return is_staff(user) or (user.level >= Level.VETTED and on_team(case, user))


def _need_staff(user: User) -> None:
    if not is_staff(user):
        raise NotAllowed("coordinators only")


def get_case(case_id: int) -> Case:
    case = db.session.get(Case, case_id)
    if case is None:
        raise NotFound("no such case")
    return case


def open_case(case_id: int, viewer: User) -> Case:
    """The case, for someone allowed to read it; every opening (and every refusal) is an
    audit row, without any of the case's values."""
    case = get_case(case_id)
    if not may_open(case, viewer):
        audit.record("case.refused", "case", case.id, actor_id=viewer.id)
        db.session.commit()
        raise NotAllowed("not on this case's team")
    audit.viewed("case", case.id, "staff" if is_staff(viewer) else "team")
    return case


def check_open(case: Case, viewer: User) -> None:
    """For actions on a case (no audit of a view: the action writes its own row)."""
    if not may_open(case, viewer):
        raise NotAllowed("not on this case's team")


# -- where a case comes from -------------------------------------------------------------

def source_for(request_id: int | None = None, alert_report_id: int | None = None,
               shift_id: int | None = None) -> Source:
    """What a new case fills in from a hotline request, an alert report or a shift whose
    after-action report says the person was detained. Unknown ids are ignored."""
    src = Source()
    if shift_id is not None:
        shift = db.session.get(Shift, shift_id)
        report = db.session.scalar(select(ShiftReport).where(ShiftReport.shift_id == shift_id))
        if shift is not None and report is not None:
            src.shift_report_id, src.area_id = report.id, shift.area_id
            request_id = request_id or shift.request_id
    if alert_report_id is not None:
        report_row = db.session.get(Report, alert_report_id)
        if report_row is not None:
            src.alert_report_id = report_row.id
            src.area_id = src.area_id or report_row.area_id
            request_id = request_id or report_row.hotline_request_id
    if request_id is not None:
        req = db.session.get(HelpRequest, request_id)
        if req is not None:
            src.request_id = req.id
            src.area_id = src.area_id or req.area_id
            src.language = req.language
            # The person who called is most often the family's contact: offered, not forced.
            src.contact_name, src.contact_phone = req.name or "", req.phone or ""
    return src


def cases_from(kind: str, record_id: int) -> list[Case]:
    """Cases opened from a request, an alert report or a shift's after-action report (the
    other feature's page shows a link to each)."""
    column = {"request": Case.request_id, "alert_report": Case.alert_report_id,
              "shift_report": Case.shift_report_id}.get(kind)
    if column is None:
        return []
    return list(db.session.scalars(select(Case).where(column == record_id).order_by(Case.id)))


def shift_report_of(case: Case) -> ShiftReport | None:
    return db.session.get(ShiftReport, case.shift_report_id) if case.shift_report_id else None


# -- opening, editing, closing -----------------------------------------------------------

def _clean_needs(needs: list[str]) -> str:
    known = [n.value for n in Need]
    return ",".join(n for n in known if n in needs)


def _apply(case: Case, data: CaseData) -> None:
    if not data.contact_name.strip():
        raise Invalid("the contact person's name is needed")
    case.contact_name = data.contact_name.strip()
    case.contact_phone = data.contact_phone or None
    case.contact_phone_index = phone_index(data.contact_phone or None)
    case.language, case.area_id = data.language, data.area_id
    case.needs = _clean_needs(data.needs)


def create_case(data: CaseData, actor: User, source: Source | None = None) -> Case:
    """A new case, coordinated by whoever opens it."""
    _need_staff(actor)
    source = source or Source()
    case = Case(coordinator_id=actor.id, created_by_id=actor.id, request_id=source.request_id,
                alert_report_id=source.alert_report_id, shift_report_id=source.shift_report_id)
    _apply(case, data)
    db.session.add(case)
    db.session.flush()
    origin = [f"{k} {v}" for k, v in (("request", source.request_id),
                                      ("alert report", source.alert_report_id),
                                      ("shift report", source.shift_report_id)) if v]
    _event(case, "opened", ", ".join(origin), actor)
    audit.record("case.opened", "case", case.id, ", ".join(origin), actor_id=actor.id)
    db.session.commit()
    return case


def update_case(case: Case, data: CaseData, actor: User) -> None:
    _need_staff(actor)
    _apply(case, data)
    _event(case, "edited", "", actor)
    audit.record("case.edited", "case", case.id, case.needs, actor_id=actor.id)
    db.session.commit()


def set_coordinator(case: Case, user_id: int, actor: User) -> None:
    _need_staff(actor)
    person = db.session.get(User, user_id)
    if person is None or not is_staff(person) or not person.is_active:
        raise Invalid("a case is coordinated by a coordinator")
    case.coordinator_id = person.id
    audit.record("case.coordinator_set", "case", case.id, f"user {person.id}", actor_id=actor.id)
    db.session.commit()


def close_case(case: Case, actor: User, now: datetime | None = None) -> None:
    """Closed cases are kept for the `cases` retention period, then purged."""
    _need_staff(actor)
    if not case.is_open:
        raise Conflict("already closed")
    case.status, case.closed_at = CaseState.CLOSED, now or utcnow()
    _event(case, "closed", "", actor)
    audit.record("case.closed", "case", case.id, actor_id=actor.id)
    db.session.commit()


def reopen_case(case: Case, actor: User) -> None:
    _need_staff(actor)
    if case.is_open:
        raise Conflict("already open")
    case.status, case.closed_at = CaseState.OPEN, None
    _event(case, "reopened", "", actor)
    audit.record("case.reopened", "case", case.id, actor_id=actor.id)
    db.session.commit()


# -- lists -------------------------------------------------------------------------------

def cases_for(viewer: User, state: str = CaseState.OPEN) -> list[Case]:
    """Staff see every case; a volunteer only the cases whose team they are on."""
    query = (select(Case).options(joinedload(Case.coordinator))
             .where(Case.status == (state if state in set(CaseState) else CaseState.OPEN))
             .order_by(Case.created_at.desc()).limit(200))
    if not is_staff(viewer):
        mine = select(CaseMember.case_id).where(CaseMember.user_id == viewer.id)
        query = query.where(or_(Case.id.in_(mine), Case.coordinator_id == viewer.id))
    return list(db.session.scalars(query))


# -- the team ----------------------------------------------------------------------------

def team(case: Case) -> list[User]:
    return list(db.session.scalars(
        select(User).join(CaseMember, CaseMember.user_id == User.id)
        .where(CaseMember.case_id == case.id).order_by(CaseMember.added_at, User.id)))


def team_ids(case: Case) -> list[int]:
    ids = [u.id for u in team(case)]
    if case.coordinator_id and case.coordinator_id not in ids:
        ids.insert(0, case.coordinator_id)
    return ids


def candidates(case: Case) -> list[User]:
    """Vetted people who could join the team (everyone active and vetted not on it yet)."""
    taken = select(CaseMember.user_id).where(CaseMember.case_id == case.id)
    return list(db.session.scalars(
        select(User).where(User.status == Status.VETTED, User.id.not_in(taken),
                           User.id != (case.coordinator_id or 0))
        .order_by(User.display_name).limit(500)))


def add_member(case: Case, user_id: int, actor: User) -> User:
    _need_staff(actor)
    person = db.session.get(User, user_id)
    if person is None or person.status != Status.VETTED:
        raise Invalid("only vetted volunteers join a case's team")
    if on_team(case, person):
        raise Conflict("already on the team")
    db.session.add(CaseMember(case_id=case.id, user_id=person.id))
    _event(case, "member_added", f"user {person.id}", actor)
    audit.record("case.member_added", "case", case.id, f"user {person.id}", actor_id=actor.id)
    db.session.commit()

    notify(person.id, "case_team", path=f"/cases/{case.id}")
    return person


def remove_member(case: Case, user_id: int, actor: User) -> None:
    _need_staff(actor)
    db.session.execute(delete(CaseMember).where(CaseMember.case_id == case.id,
                                                CaseMember.user_id == user_id))
    _event(case, "member_removed", f"user {user_id}", actor)
    audit.record("case.member_removed", "case", case.id, f"user {user_id}", actor_id=actor.id)
    db.session.commit()


def leave_every_team(user: User) -> None:
    """A suspended or offboarded volunteer leaves every case's team at once."""
    db.session.execute(delete(CaseMember).where(CaseMember.user_id == user.id))
    db.session.commit()


# -- the timeline ------------------------------------------------------------------------

def _event(case: Case, kind: str, detail: str, actor: User | None) -> None:
    db.session.add(CaseNote(case_id=case.id, kind=kind, detail=detail[:80],
                            author_id=actor.id if actor else None))


def record_event(case: Case, kind: str, detail: str = "", actor: User | None = None) -> None:
    """A line on the timeline (non-personal facts only); committed by the caller."""
    _event(case, kind, detail, actor)


def add_note(case: Case, author: User, body: str) -> CaseNote:
    check_open(case, author)
    text = body.strip()
    if not text:
        raise Invalid("an empty note")
    note = CaseNote(case_id=case.id, author_id=author.id, kind="note", body=text[:MAX_NOTE])
    db.session.add(note)
    audit.record("case.note_added", "case", case.id, actor_id=author.id)
    db.session.commit()
    return note


def timeline(case: Case) -> list[CaseNote]:
    return list(db.session.scalars(
        select(CaseNote).options(joinedload(CaseNote.author))
        .where(CaseNote.case_id == case.id).order_by(CaseNote.at.desc(), CaseNote.id.desc())
        .limit(500)))
