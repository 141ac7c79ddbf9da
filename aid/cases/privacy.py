"""What cases keep about people, registered with privacy.

- Purge: closed cases go after the `cases` retention period, with their notes, dates, team
  and directory links (the foreign keys cascade).
- Own data: a volunteer's download names the cases they were on by number and the times of
  the notes they wrote, never what a case says about the family; the family's contact person
  (proving their phone as an alert subscriber, or withdrawing the request the case came from)
  gets the case numbers and dates texted about, and deleting erases their name and phone from
  the case (the team keeps working on the detained person's behalf, without them).
- Area wipe: the area's cases go. The full wipe and key rotation find the tables themselves.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, select

from aid.cases.models import Case, CaseMember, CaseNote, CaseState, Milestone
from aid.extensions import db
from aid.privacy import registry
from aid.privacy.owndata import when
from aid.privacy.service import count, delete_where

CASE_TABLES = ("cases", "case_notes", "case_milestones", "case_members", "case_legal")
FAMILY_TABLES = ("cases", "case_milestones")

for _duty, _why in (
        (registry.PURGE, "the network's own directory of lawyers, bond funds and clinics, "
                         "kept while coordinators keep an entry (they delete it)"),
        (registry.OWN_DATA, "professionals' public work contacts, entered by coordinators; "
                            "no account or subscriber is behind them"),
        (registry.AREA_WIPE, "the directory is not filed by area; the full wipe empties it")):
    registry.not_covered("legal_contacts", _duty, _why)


@registry.on_purge("cases", tables=CASE_TABLES)
def purge_cases(cutoff: datetime, dry_run: bool = False) -> int:
    return delete_where(Case, (Case.status == CaseState.CLOSED) & Case.closed_at.is_not(None)
                        & (Case.closed_at <= cutoff), dry_run)


@registry.on_export(registry.ACCOUNT, tables=("case_members", "case_notes"))
def export_case_work(user: Any) -> dict[str, Any]:
    # Cases are about another family: numbers and times only.
    return {
        "cases_you_are_on": [
            {"case": m.case_id, "added_at": when(m.added_at)}
            for m in db.session.scalars(select(CaseMember).where(CaseMember.user_id == user.id)
                                        .order_by(CaseMember.id))],
        "case_notes_you_wrote": [
            {"case": n.case_id, "at": when(n.at)}
            for n in db.session.scalars(select(CaseNote).where(
                CaseNote.author_id == user.id, CaseNote.kind == "note").order_by(CaseNote.id))],
    }


@registry.on_forget(registry.ACCOUNT, tables=("case_members",), order=40)
def leave_teams(user: Any, _reason: str) -> None:
    """Their places on teams go; notes they wrote stay with the case, unsigned (the account
    row's deletion sets their author to nobody)."""
    db.session.execute(delete(CaseMember).where(CaseMember.user_id == user.id))


def _family_cases(key: str | None) -> list[Case]:
    if not key:
        return []
    return list(db.session.scalars(select(Case).where(Case.contact_phone_index == key)
                                   .order_by(Case.id)))


def _family_export(key: str | None) -> dict[str, Any]:
    return {"cases_where_you_are_the_family_contact": [
        {"case": case.id, "language": case.language, "status": case.status,
         "dates": [{"kind": m.kind, "at": when(m.at)} for m in db.session.scalars(
             select(Milestone).where(Milestone.case_id == case.id).order_by(Milestone.at))]}
        for case in _family_cases(key)]}


def _erase_contact(key: str | None) -> None:
    for case in _family_cases(key):
        case.contact_name, case.contact_phone, case.contact_phone_index = "", None, None
        db.session.add(CaseNote(case_id=case.id, kind="contact_erased"))
    db.session.flush()


@registry.on_export(registry.SUBSCRIBER, tables=FAMILY_TABLES)
def export_for_subscriber(sub: Any) -> dict[str, Any]:
    return _family_export(sub.phone_index)


@registry.on_forget(registry.SUBSCRIBER, tables=FAMILY_TABLES, order=40)
def forget_for_subscriber(sub: Any, _reason: str) -> None:
    _erase_contact(sub.phone_index)


@registry.on_export(registry.REQUESTER, tables=FAMILY_TABLES)
def export_for_requester(req: Any) -> dict[str, Any]:
    return _family_export(req.phone_index)


@registry.on_forget(registry.REQUESTER, tables=FAMILY_TABLES, order=40)
def forget_for_requester(req: Any, _reason: str) -> None:
    """Before the hotline erases the request's phone (order 50): the same person's details
    go from the cases too."""
    _erase_contact(req.phone_index)


@registry.on_area_wipe(tables=CASE_TABLES)
def wipe_area(area_id: int) -> dict[str, int]:
    ids = select(Case.id).where(Case.area_id == area_id)
    n = count(ids)
    db.session.execute(delete(Case).where(Case.area_id == area_id))  # children cascade
    return {"cases": n}
