"""A small network with personal data in every feature (helpers to find it again are in
tests/privacy/support.py)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from aid.auth.models import Role, User
from aid.board import service as board
from aid.extensions import db
from aid.hotline import service as hotline
from aid.shifts import signups
from aid.sms.gateway import queue_sms
from aid.sms.subscriptions import Choices, subscribe
from tests.privacy.support import REQUESTER_PHONE, SUBSCRIBER_PHONE
from tests.volunteers import factories


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
