"""The legal-support directory: lawyers, bond funds and legal clinics the network works with,
kept by coordinators, offered on a case whose needs include a lawyer or bond."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import delete, select
from sqlalchemy.orm import joinedload

from aid.auth.models import User
from aid.cases.models import Case, CaseLegal, LegalContact, LegalKind, Need
from aid.cases.service import is_staff, record_event
from aid.errors import Conflict, Invalid, NotAllowed, NotFound
from aid.extensions import db
from aid.security import audit

# The needs the directory answers, and which kinds of entry answer each.
LEGAL_NEEDS = {Need.LAWYER.value: (LegalKind.LAWYER, LegalKind.CLINIC),
               Need.BOND.value: (LegalKind.BOND_FUND, LegalKind.LAWYER, LegalKind.CLINIC)}


@dataclass
class ContactData:
    kind: str
    name: str
    reach: str
    languages: list[str] = field(default_factory=list)
    takes: list[str] = field(default_factory=list)
    notes: str = ""
    active: bool = True


def _need_staff(user: User) -> None:
    if not is_staff(user):
        raise NotAllowed("coordinators only")


def entries(include_inactive: bool = False) -> list[LegalContact]:
    query = select(LegalContact).order_by(LegalContact.kind, LegalContact.id)
    if not include_inactive:
        query = query.where(LegalContact.active.is_(True))
    return list(db.session.scalars(query))


def get_entry(entry_id: int) -> LegalContact:
    row = db.session.get(LegalContact, entry_id)
    if row is None:
        raise NotFound("no such directory entry")
    return row


def _apply(row: LegalContact, data: ContactData) -> None:
    if data.kind not in set(LegalKind) or not data.name.strip() or not data.reach.strip():
        raise Invalid("a directory entry needs a kind, a name and how to reach them")
    row.kind, row.name, row.reach = data.kind, data.name.strip(), data.reach.strip()
    row.languages = ",".join(dict.fromkeys(data.languages))
    row.takes = ",".join(n.value for n in Need if n.value in data.takes)
    row.notes, row.active = data.notes.strip() or None, data.active


def save_entry(row: LegalContact | None, data: ContactData, actor: User) -> LegalContact:
    _need_staff(actor)
    new = row is None
    row = row or LegalContact()
    _apply(row, data)
    db.session.add(row)
    db.session.flush()
    audit.record("legal.added" if new else "legal.edited", "legal_contact", row.id, row.kind,
                 actor_id=actor.id)
    db.session.commit()
    return row


def delete_entry(row: LegalContact, actor: User) -> None:
    _need_staff(actor)
    audit.record("legal.deleted", "legal_contact", row.id, row.kind, actor_id=actor.id)
    db.session.delete(row)
    db.session.commit()


# -- on a case ---------------------------------------------------------------------------

def linked(case: Case) -> list[CaseLegal]:
    return list(db.session.scalars(
        select(CaseLegal).options(joinedload(CaseLegal.contact))
        .where(CaseLegal.case_id == case.id).order_by(CaseLegal.linked_at)))


def wants_legal(case: Case) -> bool:
    return any(n in LEGAL_NEEDS for n in case.need_list)


def suggestions(case: Case) -> list[LegalContact]:
    """Active entries that take what the case needs (lawyer, bond), those speaking the
    family's language first; entries already linked are left out."""
    kinds = {k for n in case.need_list for k in LEGAL_NEEDS.get(n, ())}
    needs = {n for n in case.need_list if n in LEGAL_NEEDS}
    if not kinds:
        return []
    taken = {link.contact_id for link in linked(case)}
    found = [row for row in entries() if row.kind in kinds and row.id not in taken
             and (not row.take_list or needs & set(row.take_list))]
    return sorted(found, key=lambda row: (case.language not in row.language_list, row.id))


def link(case: Case, entry_id: int, actor: User) -> LegalContact:
    _need_staff(actor)
    row = get_entry(entry_id)
    if db.session.scalar(select(CaseLegal.id).where(CaseLegal.case_id == case.id,
                                                    CaseLegal.contact_id == row.id)):
        raise Conflict("already linked")
    db.session.add(CaseLegal(case_id=case.id, contact_id=row.id))
    record_event(case, "legal_linked", f"{row.kind} {row.id}", actor)
    audit.record("case.legal_linked", "case", case.id, f"legal_contact {row.id}",
                 actor_id=actor.id)
    db.session.commit()
    return row


def unlink(case: Case, entry_id: int, actor: User) -> None:
    _need_staff(actor)
    db.session.execute(delete(CaseLegal).where(CaseLegal.case_id == case.id,
                                               CaseLegal.contact_id == entry_id))
    record_event(case, "legal_unlinked", f"legal_contact {entry_id}", actor)
    audit.record("case.legal_unlinked", "case", case.id, f"legal_contact {entry_id}",
                 actor_id=actor.id)
    db.session.commit()
