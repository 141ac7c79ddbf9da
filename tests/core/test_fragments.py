"""Interface parts kept rendered (aid.fragments) show what each reader should see."""

from __future__ import annotations

from aid.auth.models import Role


def _nav(html: str) -> str:
    return html.split('<nav aria-label=', 1)[1].split("</nav>", 1)[0]


def test_each_kind_of_reader_gets_their_own_menu(aid_test, app, client, signed_in):
    visitor, spanish = app.test_client(), app.test_client()
    aid_test.post_form(spanish, "/language", {"lang": "es", "next": "/"})
    for _round in range(2):  # kept copies never answer another reader
        assert "Ask for help" in _nav(visitor.get("/").get_data(as_text=True))
        assert "Pedir ayuda" in _nav(spanish.get("/").get_data(as_text=True))
    signed_in(Role.COORDINATOR)
    menu = _nav(client.get("/").get_data(as_text=True))
    assert "Requests" in menu and "Ask for help" not in menu and "Administration" not in menu
    assert "Ask for help" in _nav(visitor.get("/").get_data(as_text=True))

