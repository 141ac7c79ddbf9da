"""Key rotation: re-encrypt every encrypted column under the current data key and recompute
every blind index under the current index key.

Operator steps (also in docs/operations.md):

1. `aid keys generate` and take its AID_DATA_KEYS value as the new key.
2. Put it FIRST in AID_DATA_KEYS, keeping the old key after it (`new,old`), restart.
   New values are written with the new key at once; old ones still read with the old key.
3. `aid keys rotate`: rewrites every value still under an old key, in batches. It can be
   stopped and run again: values already under the current key are skipped.
4. Remove the old key from AID_DATA_KEYS and restart. Keep a copy of the old key only as
   long as backups made before step 3 must stay readable.

For the index key: set the new AID_INDEX_KEY, and the old one in AID_OLD_INDEX_KEY, then run
`aid keys rotate`. Every blind index is declared on its model (`crypto.blind_index_column`)
and found here from the metadata; how each is re-keyed is part of the declaration: most are
recomputed from the encrypted column they were made from. Hashes with no stored source are
handled apart: the STOP list and the inbound-text log are re-keyed by matching every phone
number Aid still holds under the old key (numbers it no longer holds cannot be matched and
are reported); one-time SMS codes simply stop working (they last ten minutes); indexes made
from more than one column (the board's search words) are re-made by a hook their feature
registers with `on_rebuild`. This module imports no feature.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    Column,
    Integer,
    LargeBinary,
    Row,
    String,
    Table,
    column,
    func,
    select,
    table,
    update,
)
from sqlalchemy.sql.expression import TableClause

from aid.extensions import db
from aid.security.crypto import (
    BlindIndex,
    Encrypted,
    KeyRing,
    Rekey,
    blind_index_of,
    decode_key,
    keyring,
)

BATCH = 200


@dataclass(frozen=True)
class IndexSource:
    """A blind-index column and its declaration (see `crypto.blind_index_column`)."""

    table: str
    index_column: str
    declared: BlindIndex

    @property
    def source_column(self) -> str:
        return self.declared.source or ""

    @property
    def context(self) -> str:
        return self.declared.context


# table name -> a hook re-making that table's REBUILD indexes; returns how many rows changed.
REBUILDERS: dict[str, Callable[[], int]] = {}


def on_rebuild(table_name: str) -> Callable[[Callable[[], int]], Callable[[], int]]:
    """Register the hook that re-makes a table's blind indexes which have no stored source
    column (e.g. the board's word hashes, made from a post's title and text)."""
    def connect(fn: Callable[[], int]) -> Callable[[], int]:
        REBUILDERS[table_name] = fn
        return fn
    return connect


def blind_indexes(rekey: Rekey | None = None) -> list[IndexSource]:
    """Every blind-index column declared on the models (so new ones are included)."""
    return [IndexSource(t.name, c.name, declared)
            for t in db.metadata.sorted_tables for c in t.columns
            if (declared := blind_index_of(c)) is not None
            and (rekey is None or declared.rekey is rekey)]


def encrypted_columns() -> list[tuple[Table, list[Column]]]:
    """Every table with encrypted columns, found from the models (so new ones are included)."""
    found = []
    for model_table in db.metadata.sorted_tables:
        cols = [c for c in model_table.columns if isinstance(c.type, Encrypted)]
        if cols:
            found.append((model_table, cols))
    return found


def context_of(col: Column[Any]) -> str:
    """The encryption context of an encrypted column (as `encrypted_columns` finds them)."""
    if not isinstance(col.type, Encrypted):
        raise TypeError(f"{col} is not an encrypted column")
    return col.type.context


def _raw(name: str, binary: list[str], text: Sequence[str] = ()) -> TableClause:
    """The table as stored: bytes in and out, skipping the automatic en/decryption."""
    return table(name, column("id", Integer), *[column(c, LargeBinary) for c in binary],
                 *[column(c, String) for c in text])


def _batches(raw: TableClause, cols: list[str]) -> Iterator[Sequence[Row[Any]]]:
    """Rows in primary-key order, a batch at a time (a stopped run resumes from scratch
    cheaply: rows already done are skipped without writing)."""
    last = 0
    while True:
        rows = db.session.execute(select(raw.c.id, *[raw.c[c] for c in cols])
                                  .where(raw.c.id > last).order_by(raw.c.id).limit(BATCH)).all()
        if not rows:
            return
        yield rows
        last = rows[-1][0]


def count_rows() -> int:
    """How many rows the progress bar walks."""
    tables = ([t.name for t, _cols in encrypted_columns()]
              + [s.table for s in blind_indexes(Rekey.RECOMPUTE)])
    return sum(db.session.scalar(select(func.count()).select_from(table(name))) or 0
               for name in tables)


def reencrypt(ring: KeyRing, progress: Callable[[int], None]) -> int:
    """Rewrite values not under the current key; returns how many values changed."""
    changed = 0
    for model_table, cols in encrypted_columns():
        names = [c.name for c in cols]
        contexts = {c.name: context_of(c) for c in cols}
        raw = _raw(model_table.name, names)
        for rows in _batches(raw, names):
            for row in rows:
                values = {}
                for name, blob in zip(names, row[1:], strict=True):
                    if blob is None or ring.is_current(bytes(blob), contexts[name]):
                        continue
                    plain = ring.decrypt(bytes(blob), contexts[name])
                    values[name] = ring.encrypt(plain, contexts[name])
                if values:
                    db.session.execute(update(raw).where(raw.c.id == row[0]).values(**values))
                    changed += len(values)
            db.session.commit()
            progress(len(rows))
    return changed


def reindex(ring: KeyRing, progress: Callable[[int], None],
            old_index_key: str | None = None) -> dict[str, int]:
    """Recompute every blind index from its source; re-key phone-only hashes by matching."""
    old = KeyRing(ring.data_keys, decode_key(old_index_key)) if old_index_key else None
    remap: dict[str, str] = {}
    changed = 0
    for source in blind_indexes(Rekey.RECOMPUTE):
        context = context_of(db.metadata.tables[source.table].c[source.source_column])
        raw = _raw(source.table, [source.source_column], [source.index_column])
        for rows in _batches(raw, [source.source_column, source.index_column]):
            for row_id, blob, current in rows:
                if blob is None:
                    continue
                plain = source.declared.normalise(ring.decrypt(bytes(blob), context))
                new = ring.blind_index(plain, source.context)
                if old is not None and source.context == "phone":
                    remap[old.blind_index(plain, "phone")] = new
                if current != new:
                    db.session.execute(update(raw).where(raw.c.id == row_id)
                                       .values({source.index_column: new}))
                    changed += 1
            db.session.commit()
            progress(len(rows))
    unmatched = 0
    if old is not None:
        known = set(remap.values())
        for matched in blind_indexes(Rekey.MATCH):
            table_name, col = matched.table, matched.index_column
            raw = _raw(table_name, [], [col])
            for row_id, value in db.session.execute(select(raw.c.id, raw.c[col])).all():
                if value in remap:
                    db.session.execute(update(raw).where(raw.c.id == row_id)
                                       .values({col: remap[value]}))
                    changed += 1
                elif value not in known:
                    unmatched += 1
            db.session.commit()
    for rebuilt in sorted({i.table for i in blind_indexes(Rekey.REBUILD)}):
        changed += REBUILDERS[rebuilt]()  # a KeyError here: the feature registered no hook
    return {"indexes": changed, "unmatched": unmatched}


def rotate(progress: Callable[[int], None] = lambda _n: None,
           old_index_key: str | None = None) -> dict[str, int]:
    """Re-encrypt, then re-index (the index step reads values under the current key)."""
    ring = keyring()
    values = reencrypt(ring, progress)
    return {"values": values, **reindex(ring, progress, old_index_key)}
