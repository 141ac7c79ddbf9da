"""Which tables a transaction wrote, told to whatever keeps copies of them when it ends.

Copies of what the database holds (the page cache's public pages, the snapshots of the
network's settings) must go as soon as a change to their tables is committed. A keeper
names its tables once, `when_written(tables, drop)`, and `drop` is called with the tables
written once the transaction that wrote them ends, by a commit or by a rollback (a copy made
inside that transaction may hold what was rolled back). Rows added, changed or deleted
through the ORM count, and ORM bulk INSERT, UPDATE and DELETE statements; raw SQL does not
(whoever writes raw SQL to such a table drops the copies itself, as a restore does).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from itertools import chain

from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction

Drop = Callable[[set[str]], None]

_WRITTEN = "aid_written_tables"
_KEEPERS: dict[str, list[Drop]] = {}  # table -> what keeps copies of it


def when_written(tables: Iterable[str], drop: Drop) -> None:
    """Call `drop(tables written)` after each transaction that wrote one of `tables`."""
    for table in tables:
        keepers = _KEEPERS.setdefault(table, [])
        if drop not in keepers:
            keepers.append(drop)
    if not event.contains(Session, "after_flush", _note_flushed):
        event.listen(Session, "after_flush", _note_flushed)
        event.listen(Session, "do_orm_execute", _note_bulk)
        event.listen(Session, "after_commit", _ended)
        event.listen(Session, "after_rollback", _ended)


def pending(session: Session) -> set[str]:
    """The watched tables this session's open transaction has written so far."""
    return set(session.info.get(_WRITTEN, ()))


def _note(session: Session, tables: Iterable[str]) -> None:
    watched = [t for t in tables if t in _KEEPERS]
    if watched:
        session.info.setdefault(_WRITTEN, set()).update(watched)


def _note_flushed(session: Session, _flush: UOWTransaction) -> None:
    _note(session, (getattr(obj, "__tablename__", "") for obj in
                    chain(session.new, session.dirty, session.deleted)))


def _note_bulk(state: ORMExecuteState) -> None:
    if state.is_update or state.is_delete or state.is_insert:
        mapper = state.bind_mapper
        if mapper is not None:
            _note(state.session, [str(getattr(mapper.local_table, "name", ""))])


def _ended(session: Session) -> None:
    tables = session.info.pop(_WRITTEN, None)
    if not tables:
        return
    for drop in {d for t in tables for d in _KEEPERS.get(t, ())}:
        drop(tables)
