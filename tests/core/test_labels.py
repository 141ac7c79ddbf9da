"""Labels of stored codes are translated once per language, and always in the reader's."""

from __future__ import annotations

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from aid.labels import Labels

LABELS = Labels({"food": _l("Food"), "need": _l("Need")})


def test_each_request_reads_the_labels_in_its_own_language(app):
    # Each request with an app context of its own, as on a server (the test's own would
    # share `g` with it). The kept English copy never answers a Spanish request.
    for _round in range(2):
        with app.app_context(), app.test_request_context(
                "/", headers={"Accept-Language": "es"}):
            assert LABELS["food"] == "Comida" and dict(LABELS.items())["need"] == "Necesidad"
        with app.app_context(), app.test_request_context(
                "/", headers={"Accept-Language": "en"}):
            assert LABELS["food"] == "Food" and LABELS.get("need") == "Need"


def test_a_forced_language_is_the_one_read(app):
    with force_locale("es"):
        assert LABELS["food"] == "Comida"
    with force_locale("en"):
        assert LABELS["food"] == "Food"


def test_outside_a_request_the_labels_stay_lazy(app):
    # What a module builds from them when imported (form choices) follows each reader later.
    choices = list(LABELS.items())
    with app.app_context(), app.test_request_context("/", headers={"Accept-Language": "es"}):
        assert str(choices[0][1]) == "Comida"
    assert "food" in LABELS and "rent" not in LABELS and len(LABELS) == 2


def test_wtforms_own_messages_are_in_the_readers_language(aid_test, app):
    spanish, english = app.test_client(), app.test_client()
    aid_test.post_form(spanish, "/language", {"lang": "es", "next": "/help"})
    for _round in range(2):  # each language's catalogue, read once, never the other's
        html = aid_test.post_form(spanish, "/help", {}).get_data(as_text=True)
        assert "Este campo es obligatorio." in html and "This field is required." not in html
        html = aid_test.post_form(english, "/help", {}).get_data(as_text=True)
        assert "This field is required." in html and "Este campo es obligatorio." not in html


def test_every_form_is_built_on_the_shared_base(app):  # the app has loaded every feature
    from flask_wtf import FlaskForm

    from aid.forms import AidForm

    todo, found = [FlaskForm], []
    while todo:
        for sub in todo.pop().__subclasses__():
            todo.append(sub)
            found.append(sub)
    strays = [f for f in found if f.__module__.startswith("aid.") and not issubclass(f, AidForm)]
    assert found and not strays, strays
