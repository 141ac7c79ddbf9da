"""A person texts the hotline number: Twilio's signed webhook reaches the hotline."""

from __future__ import annotations

from sqlalchemy import select

from aid.extensions import db
from aid.hotline.models import Channel, EventKind, HelpRequest, RequestEvent
from aid.sms.service import is_suppressed
from tests.fakes.fake_twilio import text_in

ASKER, STRANGER = "+12025550161", "+12025550162"


def _reply(response) -> str:
    assert response.status_code == 200 and response.mimetype == "application/xml"
    return response.get_data(as_text=True)


def test_a_text_opens_a_request_and_more_texts_join_it(client):
    first = _reply(text_in(client, "They took my husband this morning, I need a lawyer",
                           sender=ASKER))
    req = db.session.scalar(select(HelpRequest))
    assert req.channel == Channel.SMS and req.phone == ASKER
    assert f"Your code is {req.code}" in first and "<Message>" in first
    second = _reply(text_in(client, "He is at the county jail", sender=ASKER))
    assert f"We added your message to request {req.code}" in second
    assert db.session.scalar(select(db.func.count()).select_from(HelpRequest)) == 1
    words = db.session.scalars(select(RequestEvent.body).where(
        RequestEvent.kind == EventKind.MESSAGE)).all()
    assert words == ["He is at the county jail"]


def test_estado_answers_only_the_number_that_asked(client):
    text_in(client, "Necesito comida para mis hijos", sender=ASKER)
    req = db.session.scalar(select(HelpRequest))
    mine = _reply(text_in(client, f"ESTADO {req.code.lower()}", sender=ASKER))
    assert f"Solicitud {req.code}" in mine
    theirs = _reply(text_in(client, f"ESTADO {req.code}", sender=STRANGER))
    assert req.code not in theirs and "No encontramos" in theirs
    assert db.session.scalar(select(db.func.count()).select_from(HelpRequest)) == 1


def test_an_opted_out_number_gets_no_reply(client):
    text_in(client, "STOP", sender=ASKER)
    assert is_suppressed(ASKER)
    body = _reply(text_in(client, "please help, agents outside", sender=ASKER))
    assert "<Message>" not in body  # the request is kept, but nothing is sent back
    assert db.session.scalar(select(HelpRequest)).phone == ASKER
