"""A neighbour offers groceries, a coordinator lets the post on the board, someone in the same
area asks for food in Spanish and is shown the offer, answers it, and the offer is closed."""

from __future__ import annotations

import pytest

from aid.auth.models import Role
from aid.network import service as network
from tests.e2e.pages import BoardPage, ManagePostPage, ModerationPage, new_page, sign_in_as
from tests.helpers import PASSWORD

pytestmark = pytest.mark.e2e

OFFER = "Groceries from our pantry"
NEED = "Comida para una familia de cuatro"


def test_offer_is_approved_matched_answered_and_fulfilled(browser, live_server, make_user):
    network.add_area("Riverside")
    network.add_area("Eastside")
    coordinator = make_user(Role.COORDINATOR, email="coord@example.org")

    # Someone with groceries to spare posts an offer, no account, no JavaScript.
    giver = new_page(browser)
    offer_link = BoardPage(giver, live_server).post(
        "offer", "Food", "Riverside", OFFER, "Rice, beans, tinned tomatoes and fresh bread.",
        quantity="3 bags", contact="giver@example.org")
    assert "A coordinator will check your post soon" in giver.content()
    assert "/board/manage/" in offer_link
    assert OFFER not in BoardPage(giver, live_server).titles()  # pre-moderation is on

    # A coordinator puts it on the board.
    staff = sign_in_as(browser, live_server, "coord@example.org", PASSWORD,
                       coordinator.totp_secret)
    ModerationPage(staff, live_server).approve(OFFER)
    assert "The post is on the board." in staff.content()
    assert "giver@example.org" in staff.content()  # coordinators see the contact

    # Someone else, on a phone in Spanish, needs food in the same area.
    asker = new_page(browser, locale="es-MX")
    board = BoardPage(asker, live_server, lang="es")
    assert OFFER in board.titles()
    assert "giver@example.org" not in asker.content()  # never on the public board
    need_link = board.post("need", "Comida", "Riverside", NEED,
                           "Arroz, frijoles y leche para esta semana.")
    assert "Gracias: guarde este enlace" in asker.content()

    # Her private page suggests the offer; she opens it and answers "I need this".
    need = ManagePostPage(asker, need_link, lang="es")
    need.open()
    assert "Ofertas que podrían servir" in asker.content()
    assert need.suggestions() == [OFFER]
    need.open_suggestion(OFFER)
    assert "giver@example.org" not in asker.content()
    reply_link = board.answer("Lo necesito", "Somos cuatro en casa, ¿puedo pasar el sábado?",
                 contact="+1 202 555 0188")
    assert "Mensaje enviado" in asker.content()

    # The coordinator, letting the need on the board, is shown the same match.
    moderation = ModerationPage(staff, live_server)
    moderation.approve(NEED)
    assert moderation.suggested_matches() == [OFFER]

    # The giver reads the answer on their private page, shares contacts, and closes the offer.
    offer = ManagePostPage(giver, offer_link)
    offer.open()
    assert offer.answers() == ["Somos cuatro en casa, ¿puedo pasar el sábado?"]
    assert "+1 202 555 0188" not in giver.content()  # hidden until the giver agrees
    offer.share_contacts()
    assert "+1 202 555 0188" in giver.content()
    offer.mark_fulfilled()
    assert "Marked as fulfilled. It has left the board." in giver.content()

    # She sees the giver's contact on her own private link, now that both agreed.
    asker.goto(reply_link)
    assert "giver@example.org" in asker.content()

    # The public board no longer lists it; the need is still there.
    titles = BoardPage(new_page(browser), live_server).titles()
    assert OFFER not in titles and NEED in titles
