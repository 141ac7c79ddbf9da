"""What the privacy tests share that is not a fixture: the personal data the `network`
fixture puts in, and ways to find it again."""

from __future__ import annotations

from sqlalchemy import inspect, select, text

from aid.extensions import db
from aid.phones import phone_index
from aid.security.crypto import keyring
from aid.security.rotation import encrypted_columns
from aid.sms.models import OutboundMessage

REQUESTER_PHONE = "+14155550123"
SUBSCRIBER_PHONE = "+14155550177"
PERSONAL = ["Lupe Quintero", "+14155550123", "hermano fue detenido", "Calle Ocho 44",
            "+14155550177", "marisol.vega@example.org", "Marisol Vega", "Rosa from the church",
            "Side door of 12 Elm St", "call me on signal 555"]


def decrypted_values() -> list[str]:
    """Every encrypted value in the database, decrypted: what someone with the keys sees."""
    ring = keyring()
    found = []
    for table, cols in encrypted_columns():
        names = ", ".join(f'"{c.name}"' for c in cols)
        for row in db.session.execute(text(f'SELECT {names} FROM "{table.name}"')):  # noqa: S608
            for col, blob in zip(cols, row, strict=True):
                if blob is not None:
                    found.append(ring.decrypt(bytes(blob), col.type.context))
    return found


def row_counts() -> dict[str, int]:
    return {t: db.session.execute(text(f'SELECT count(*) FROM "{t}"')).scalar()  # noqa: S608
            for t in inspect(db.engine).get_table_names()}


def last_text_to(e164: str) -> str:
    return db.session.scalar(select(OutboundMessage).where(
        OutboundMessage.to_index == phone_index(e164)).order_by(OutboundMessage.id.desc())).body


def key_ids() -> set[int]:
    """The keys (by their id byte) that encrypted the values in the database now."""
    ids = set()
    for table, cols in encrypted_columns():
        for col in cols:
            for (blob,) in db.session.execute(
                    text(f'SELECT "{col.name}" FROM "{table.name}" '  # noqa: S608
                         f'WHERE "{col.name}" IS NOT NULL')):
                ids.add(bytes(blob)[0])
    return ids
