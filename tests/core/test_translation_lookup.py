"""The catalogue looked up once per locale still follows the locale of each request, and a
`force_locale` inside one (a text in the recipient's language)."""

from __future__ import annotations

from flask_babel import force_locale, gettext, lazy_gettext


def test_each_request_gets_its_own_language(app):
    spanish = app.test_client().get("/", headers={"Accept-Language": "es"})
    english = app.test_client().get("/", headers={"Accept-Language": "en"})
    again = app.test_client().get("/", headers={"Accept-Language": "es"})
    assert 'lang="es"' in spanish.get_data(as_text=True)
    assert 'lang="en"' in english.get_data(as_text=True)
    assert spanish.get_data(as_text=True) == again.get_data(as_text=True).replace(
        _token(again), _token(spanish))
    assert "Página no encontrada" in app.test_client().get(
        "/no-such-page", headers={"Accept-Language": "es"}).get_data(as_text=True)
    assert "Page not found" in app.test_client().get(
        "/no-such-page", headers={"Accept-Language": "en"}).get_data(as_text=True)


def _token(response) -> str:
    import re

    found = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"',
                      response.get_data(as_text=True))
    return found.group(1) if found else ""


def test_a_forced_locale_inside_a_request_is_followed_and_undone(app):
    label = lazy_gettext("Page not found")
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        assert gettext("Page not found") == "Page not found"
        with force_locale("es"):
            assert gettext("Page not found") == "Página no encontrada"
            assert str(label) == "Página no encontrada"
            assert app.jinja_env.from_string('{{ _("Page not found") }}').render() == \
                "Página no encontrada"
        assert str(label) == "Page not found"
        assert app.jinja_env.from_string('{{ _("Page not found") }}').render() == \
            "Page not found"
