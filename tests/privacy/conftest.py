"""A small network with personal data in every feature, and helpers to find it again."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy import inspect, select, text

from aid.auth.models import Role, User
from aid.board import service as board
from aid.extensions import db
from aid.hotline import service as hotline
from aid.security.crypto import keyring
from aid.security.rotation import encrypted_columns
from aid.shifts import signups
from aid.sms.gateway import queue_sms
from aid.sms.models import OutboundMessage
from aid.sms.subscriptions import Choices, subscribe
from tests.volunteers import factories

REQUESTER_PHONE = "+14155550123"
SUBSCRIBER_PHONE = "+14155550177"
PERSONAL = ["Lupe Quintero", "+14155550123", "hermano fue detenido", "Calle Ocho 44",
            "+14155550177", "marisol.vega@example.org", "Marisol Vega", "Rosa from the church",
            "Side door of 12 Elm St", "call me on signal 555"]


@dataclass
class Network:
    admin: User
    coordinator: User
    volunteer: User
    request_id: int
    request_code: str
    post_id: int
    shift_id: int
    subscriber_id: int


@pytest.fixture
def network(app, make_user) -> Network:
    admin = make_user(Role.ADMIN)
    coordinator = make_user(Role.COORDINATOR)
    area = factories.area("Eastside")
    other = factories.area("Riverside")
    volunteer = factories.volunteer(name="Marisol Vega")
    volunteer.email = "marisol.vega@example.org"
    from aid.auth.service import email_index

    volunteer.email_index = email_index(volunteer.email)
    db.session.commit()
    req, _token = hotline.create_request(hotline.Intake(
        category="legal", urgency="now", area_id=area.id, language="es", contact_method="sms",
        details="Mi hermano fue detenido en Calle Ocho 44", name="Lupe Quintero",
        phone=REQUESTER_PHONE))
    post, _t = board.create_post("need", board.PostInput(
        category="food", area_id=other.id, title="Groceries for a family",
        description="Rice and beans", first_name="Lupe", contact="call me on signal 555"))
    shift = factories.shift(coordinator)
    signups.sign_up(shift.id, volunteer)
    sub = subscribe(SUBSCRIBER_PHONE, Choices(area_ids=[area.id]), "web")
    queue_sms(SUBSCRIBER_PHONE, "Welcome to the alerts", purpose="subscription")
    return Network(admin, coordinator, volunteer, req.id, req.code, post.id, shift.id, sub.id)


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
    from aid.phones import phone_index

    return db.session.scalar(select(OutboundMessage).where(
        OutboundMessage.to_index == phone_index(e164)).order_by(OutboundMessage.id.desc())).body
