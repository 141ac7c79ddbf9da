"""One handler turns a service's refusal (aid.errors) into what the person sees."""

from __future__ import annotations

from flask import get_flashed_messages
from flask_babel import lazy_gettext as _l

from aid import errors
from aid.security import access
from aid.security.access import Level


def _public(view):
    return access.rule(Level.PUBLIC)(view)


def _install(app, error: errors.DomainError, back: str | None) -> None:
    def act(item_id: int) -> str:
        raise error

    view = errors.back_to(back)(act) if back else act
    app.add_url_rule("/things/<int:item_id>/act", "act", _public(view))
    app.add_url_rule("/things/<int:item_id>", "show",
                     _public(lambda item_id: " | ".join(get_flashed_messages())))


def test_a_refusal_is_flashed_on_the_page_the_view_names(app, client):
    _install(app, errors.Conflict("closed", _l("That change is not possible now.")), "show")
    response = client.get("/things/7/act")
    assert response.status_code == 302 and response.headers["Location"] == "/things/7"
    assert client.get("/things/7").get_data(as_text=True) == "That change is not possible now."


def test_the_message_is_translated_when_shown(app, client):
    _install(app, errors.Conflict("closed", _l("That change is not possible now.")), "show")
    spanish = {"Accept-Language": "es"}
    client.get("/things/7/act", headers=spanish)
    assert client.get("/things/7", headers=spanish).get_data(as_text=True) == (
        "Ese cambio no es posible ahora.")


def test_without_a_page_to_go_back_to_the_status_page_answers(app, client):
    _install(app, errors.Conflict("closed", _l("That change is not possible now.")), None)
    response = client.get("/things/7/act")
    assert response.status_code == 409
    assert "That is not possible now" in response.get_data(as_text=True)


def test_not_found_is_the_ordinary_404_page(app, client):
    _install(app, errors.NotFound("not theirs"), "show")  # no message: nothing to flash
    response = client.get("/things/7/act")
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)


def test_not_allowed_is_403(app, client):
    _install(app, errors.NotAllowed("not theirs"), None)
    assert client.get("/things/7/act").status_code == 403
