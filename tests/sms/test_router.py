from __future__ import annotations

import pytest

from aid.sms import router
from aid.sms.models import Suppression
from aid.sms.router import dispatch, make_inbound, on_keywords, words_of
from tests.fakes.fake_twilio import text_in


def test_words_are_upper_case_without_accents_or_punctuation():
    assert words_of("¡Sí, llegué!") == ("SI", "LLEGUE")
    assert words_of("  stop\tPLEASE...") == ("STOP", "PLEASE")
    assert words_of("") == ()


@pytest.mark.parametrize(("body", "locale"), [
    ("Sí", "es"), ("necesito ayuda por favor", "es"), ("UNIRSE Eastside", "es"),
    ("I need help please", "en"), ("YES", "en"), ("¿hola?", "es"),
])
def test_locale_is_guessed_from_the_keyword_or_text(body, locale):
    assert make_inbound("+12025550123", body, "SM1").locale == locale


def test_a_registered_feature_gets_its_keyword_with_the_words_normalised(app):
    seen = []

    # YES/SI/NO belong to the shifts feature; a made-up pair shows the same normalising.
    @on_keywords("MAYBE", "QUIZÁS")
    def answer(inbound):
        seen.append(inbound)
        return "thanks" if inbound.locale == "en" else "gracias"

    assert dispatch(make_inbound("+12025550123", "quizás, ahí estaré", "SM1")) == "gracias"
    assert dispatch(make_inbound("+12025550123", "Maybe", "SM2")) == "thanks"
    assert [i.words[0] for i in seen] == ["QUIZAS", "MAYBE"]


def test_two_features_cannot_claim_the_same_keyword():
    on_keywords("PRONTO")(lambda inbound: "one")
    with pytest.raises(ValueError, match="PRONTO"):
        on_keywords("pronto")(lambda inbound: "two")


def test_anything_else_goes_to_the_fallback(app):
    router.set_fallback(lambda inbound: f"hotline got {len(inbound.words)} words")
    assert dispatch(make_inbound("+12025550123", "there are agents at the school",
                                 "SM1")) == "hotline got 6 words"


def test_without_a_hotline_the_default_fallback_explains_the_keywords(app):
    router._fallback = None
    reply = dispatch(make_inbound("+12025550123", "hello?", "SM1"))
    assert "JOIN" in reply and "STOP" in reply


def test_an_opt_out_word_anywhere_beats_a_features_keyword(app, client):
    called = []
    on_keywords("MAYBE")(lambda inbound: called.append(1) or "see you then")
    response = text_in(client, "maybe, please stop")
    assert called == []
    assert "no more texts" in response.get_data(as_text=True)
    assert Suppression.query.count() == 1


@pytest.mark.parametrize("body", [
    "STOP", "stop please", "Please STOP", "ok stop", "can you please stop", "quit texting me",
    "ya no me manden mensajes, BAJA", "Unsubscribe.", "Stop! agents are outside",
    "por favor alto", "STOP ALL",
])
def test_reasonable_opt_outs_are_recognised(body):
    assert router.opt_out_word(make_inbound("+12025550123", body, "SM1")) is not None


@pytest.mark.parametrize("body", [
    "agents at the bus stop on 5th", "two cars at the end of my street",
    "the police told us to stop", "hola", "JOIN",
])
def test_a_report_that_mentions_stop_is_not_an_opt_out(body):
    assert router.opt_out_word(make_inbound("+12025550123", body, "SM1")) is None
