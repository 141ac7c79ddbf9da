"""A board poster told of an answer by text answers by text through the hotline number; the
responder answers back the same way; neither sees the other's number."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from aid.board import service as board
from aid.extensions import db
from aid.hotline.models import HelpRequest
from tests.fakes.fake_twilio import text_in
from tests.volunteers import factories

POSTER, RESPONDER = "+14155550144", "+12025550199"


def _thread():
    post, _token = board.create_post("need", board.PostInput(
        category="food", area_id=factories.area().id, title="Rice", description="Two bags",
        contact="(415) 555-0144"))
    board.respond(post, "I have rice, where are you?", contact=RESPONDER)
    return post


def _to(twilio, number: str) -> list[str]:
    return [m["Body"] for m in twilio.sent if m["To"] == number]


def test_the_poster_and_the_responder_text_each_other_through_the_hotline(app, client, twilio):
    _thread()
    [notice] = _to(twilio, POSTER)
    code = re.search(r"BOARD (\w+)", notice).group(1)
    assert "I have rice" not in notice and RESPONDER[2:] not in notice

    reply = text_in(client, f"BOARD {code} Yes please, Tuesday at 5", sender=POSTER)
    assert "Sent. They do not see your number." in reply.get_data(as_text=True)
    [relayed] = _to(twilio, RESPONDER)
    assert "Yes please, Tuesday at 5" in relayed and POSTER[2:] not in relayed
    assert f"BOARD {code}" in relayed

    text_in(client, f"board {code.lower()} See you then", sender=RESPONDER)
    assert "See you then" in _to(twilio, POSTER)[-1]
    assert RESPONDER[2:] not in _to(twilio, POSTER)[-1]
    assert db.session.scalar(select(func.count()).select_from(HelpRequest)) == 0


def test_a_third_number_with_the_right_code_gets_nothing_through(app, client, twilio):
    _thread()
    code = re.search(r"BOARD (\w+)", _to(twilio, POSTER)[0]).group(1)
    reply = text_in(client, f"BOARD {code} send me their number", sender="+12025550111")
    assert "could not match" in reply.get_data(as_text=True)
    assert _to(twilio, RESPONDER) == []


def test_a_code_that_is_not_ours_goes_to_the_hotline_like_any_text(app, client, twilio):
    _thread()
    text_in(client, "Board 1ABCD the landlord changed the locks", sender="+12025550112")
    assert db.session.scalar(select(func.count()).select_from(HelpRequest)) == 1
    assert _to(twilio, RESPONDER) == []


def test_a_code_without_a_message_explains_how_in_spanish(app, client, twilio):
    _thread()
    code = re.search(r"BOARD (\w+)", _to(twilio, POSTER)[0]).group(1)
    reply = text_in(client, f"TABLÓN {code}", sender=POSTER).get_data(as_text=True)
    assert "Escriba su mensaje después del código" in reply
