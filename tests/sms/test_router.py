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


def test_handlers_are_asked_by_stage_whatever_order_they_registered_in(app):
    asked = []

    def keyword(inbound):
        asked.append("keyword")
        return "the keyword's owner"

    def answerer(inbound):
        asked.append("answer")
        return router.PASS  # not an answer to my question

    def between(inbound):
        asked.append("between")
        return router.PASS

    def conversation(inbound):
        asked.append("conversation")
        return router.PASS

    on_keywords("MAYBE")(keyword)
    router.on_answer("MAYBE")(answerer)
    router.on_answer("MAYBE")(answerer)  # again: still asked once
    router.add_handler(between, router.Stage.ANSWER + 50, words=("MAYBE",))
    router.on_conversation("test", lambda inbound: True, conversation)
    handled = router.handle(make_inbound("+12025550123", "maybe", "SM1"))
    assert asked == ["conversation", "answer", "between", "keyword"]
    assert handled == router.Handled("maybe", "the keyword's owner")
    stages = [entry.stage for entry in router.handlers()]
    assert stages == sorted(stages)


def test_the_first_handler_that_answers_wins_and_names_itself(app):
    on_keywords("MAYBE")(lambda inbound: "the keyword's owner")
    router.on_answer("MAYBE")(lambda inbound: "an answer to my question")
    router.on_conversation("test", lambda inbound: inbound.phone == "+12025550199",
                           lambda inbound: "the next question")
    assert router.handle(make_inbound("+12025550123", "maybe", "SM1")) == router.Handled(
        "maybe", "an answer to my question")
    assert router.handle(make_inbound("+12025550199", "maybe", "SM2")) == router.Handled(
        "test", "the next question")


def test_a_blocked_number_gets_nothing_but_help(app):
    on_keywords("MAYBE")(lambda inbound: "the keyword's owner")
    router.add_blocker(lambda phone: phone == "+12025550166")
    assert router.handle(make_inbound("+12025550166", "maybe", "SM1")) == router.Handled(
        "blocked", None)
    assert "JOIN" in dispatch(make_inbound("+12025550166", "HELP", "SM2"))
    assert dispatch(make_inbound("+12025550123", "maybe", "SM3")) == "the keyword's owner"


def test_nothing_may_come_before_the_opt_out_words():
    with pytest.raises(ValueError, match="opt-out"):
        router.add_handler(lambda inbound: "mine", router.Stage.OPT_OUT)


def test_restore_puts_back_what_a_snapshot_saw(app):
    before = router.snapshot()
    keywords, chain = router.registered(), router.handlers()
    on_keywords("PRONTITO")(lambda inbound: "soon")
    router.add_handler(lambda inbound: "everything", router.Stage.CONVERSATION)
    router.set_fallback(lambda inbound: "changed")
    assert dispatch(make_inbound("+12025550123", "hola", "SM1")) == "everything"
    router.restore(before)
    assert router.registered() == keywords and router.handlers() == chain
    assert "PRONTITO" not in router.registered()
    assert dispatch(make_inbound("+12025550123", "hola", "SM2")) != "changed"
