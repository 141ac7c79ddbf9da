"""The hotline's SMS hook, called by the gateway's keyword router with the inbound message."""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import count

from sqlalchemy import func, select

from aid.extensions import db
from aid.hotline import service
from aid.hotline.models import Channel, EventKind, HelpRequest, RequestEvent, State
from aid.hotline.sms import handle_status, handle_text

_sid = count(1)


@dataclass
class Inbound:
    """What the gateway hands over: the sender in E.164, the text, its words, its locale."""

    body: str
    phone: str = "+14155550123"
    locale: str = "en"
    message_sid: str = field(default_factory=lambda: f"SM{next(_sid):032d}")

    @property
    def words(self) -> tuple[str, ...]:
        return tuple(self.body.upper().split())


def test_a_text_opens_a_request_and_the_reply_gives_its_code(app, areas):
    reply = handle_text(Inbound("Necesito ayuda con la renta", locale="es"))
    req = db.session.scalar(select(HelpRequest))
    assert req.channel == Channel.SMS and req.phone == "+14155550123"
    assert req.details == "Necesito ayuda con la renta" and req.language == "es"
    assert req.state == State.NEW
    assert req.code in reply and "ESTADO" in reply  # the reply is in the sender's language


def test_a_second_text_joins_the_open_request_from_the_same_number(app):
    first = handle_text(Inbound("My landlord changed the locks"))
    second = handle_text(Inbound("He says we have to leave tonight"))
    req = db.session.scalar(select(HelpRequest))
    assert db.session.scalar(select(func.count()).select_from(HelpRequest)) == 1
    assert req.code in first and req.code in second and "added your message" in second
    message = db.session.scalar(select(RequestEvent).where(
        RequestEvent.kind == EventKind.MESSAGE))
    assert message.body == "He says we have to leave tonight"
    handle_text(Inbound("Different person", phone="+12025550188"))
    assert db.session.scalar(select(func.count()).select_from(HelpRequest)) == 2


def test_a_text_after_the_request_ended_opens_a_new_one(app, make_user):
    handle_text(Inbound("Need food"))
    req = db.session.scalar(select(HelpRequest))
    coordinator = make_user("coordinator")
    service.change_status(req, State.TRIAGED, coordinator)
    service.change_status(req, State.RESOLVED, coordinator)
    reply = handle_text(Inbound("Need food again"))
    assert db.session.scalar(select(func.count()).select_from(HelpRequest)) == 2
    assert req.code not in reply


def test_a_webhook_delivered_twice_is_stored_once(app):
    message = Inbound("Please call me")
    assert handle_text(message) == handle_text(message)
    assert db.session.scalar(select(func.count()).select_from(HelpRequest)) == 1
    assert db.session.scalar(select(func.count()).select_from(RequestEvent)) == 1


def test_an_empty_text_asks_for_words(app):
    assert "in words" in handle_text(Inbound("   "))
    assert db.session.scalar(select(func.count()).select_from(HelpRequest)) == 0


def test_status_by_text_from_the_number_that_asked(app, make_user):
    handle_text(Inbound("Need a ride to court"))
    req = db.session.scalar(select(HelpRequest))
    reply = handle_status(Inbound(f"STATUS {req.code}"))
    assert req.code in reply and "coordinator will look at it soon" in reply
    service.assign(req, make_user("volunteer", "vetted"), make_user("coordinator"))
    reply = handle_status(Inbound(f"estado {req.code.lower()}", locale="es"))
    assert "Alguien de la red" in reply


def test_status_from_another_number_reveals_nothing(app):
    handle_text(Inbound("Need a ride to court"))
    req = db.session.scalar(select(HelpRequest))
    other = handle_status(Inbound(f"STATUS {req.code}", phone="+12025550188"))
    unknown = handle_status(Inbound("STATUS AAA-AAA", phone="+12025550188"))
    assert other == unknown and req.code not in other
    assert handle_status(Inbound("STATUS")) == unknown
