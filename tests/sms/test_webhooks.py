from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aid.extensions import db
from aid.network import service as network
from aid.sms import router
from aid.sms.gateway import send_sms
from aid.sms.models import InboundMessage, OutboundMessage, Suppression
from aid.sms.service import is_suppressed
from aid.sms.subscriptions import find_subscriber
from tests.fakes.fake_twilio import ACCOUNT_SID, post_signed, signature, text_in

NUMBER = "+12025550123"


def test_unsigned_or_forged_requests_are_refused_and_change_nothing(client):
    params = {"MessageSid": "SM1", "From": NUMBER, "Body": "STOP"}
    assert client.post("/sms/inbound", data=params).status_code == 403
    forged = signature("/sms/inbound", params, token="not-the-token")
    assert client.post("/sms/inbound", data=params,
                       headers={"X-Twilio-Signature": forged}).status_code == 403
    tampered = signature("/sms/inbound", {**params, "Body": "hello"})
    assert client.post("/sms/inbound", data=params,
                       headers={"X-Twilio-Signature": tampered}).status_code == 403
    assert client.post("/sms/status", data={"MessageSid": "SM1", "MessageStatus": "failed"}
                       ).status_code == 403
    assert Suppression.query.count() == 0 and InboundMessage.query.count() == 0


def test_signature_is_checked_against_the_public_url_not_the_one_behind_the_proxy(client):
    params = {"MessageSid": "SM9", "From": NUMBER, "Body": "HELP"}
    # Flask sees https://localhost/sms/inbound; Twilio signed https://aid.example.org/...
    seen_url = signature("/sms/inbound", params, base="https://localhost")
    assert client.post("/sms/inbound", data=params,
                       headers={"X-Twilio-Signature": seen_url}).status_code == 403
    assert post_signed(client, "/sms/inbound", params).status_code == 200


def test_stop_opts_out_at_once_and_replies_in_twiml(client):
    response = text_in(client, "Stop please", sender=NUMBER)
    assert response.status_code == 200 and response.mimetype == "application/xml"
    body = response.get_data(as_text=True)
    assert body.startswith("<?xml") and "<Message>" in body and "no more texts" in body
    assert is_suppressed(NUMBER)


def test_spanish_opt_out_answers_in_spanish(client):
    body = text_in(client, "BAJA", sender=NUMBER).get_data(as_text=True)
    assert is_suppressed(NUMBER) and "START" in body and "no recibirá" in body


def test_twilios_opt_out_type_is_honoured_without_a_second_reply(client):
    response = text_in(client, "arrêtez", sender=NUMBER, OptOutType="STOP")
    assert is_suppressed(NUMBER) and "<Message>" not in response.get_data(as_text=True)
    text_in(client, "arrêtez", sender=NUMBER, OptOutType="START")
    assert not is_suppressed(NUMBER)


def test_an_opt_out_with_a_plea_still_reaches_the_hotline(client):
    got = []
    router.set_fallback(lambda inbound: got.append(inbound.body) or "we will call you")
    body = text_in(client, "Stop! they are knocking at my door", sender=NUMBER)
    assert is_suppressed(NUMBER) and got == ["Stop! they are knocking at my door"]
    assert "we will call you" not in body.get_data(as_text=True)


def test_a_retried_webhook_is_handled_once_and_answered_the_same(client):
    calls = []
    router.set_fallback(lambda inbound: calls.append(1) or "got it")
    params = {"MessageSid": "SM" + "7" * 32, "AccountSid": ACCOUNT_SID, "From": NUMBER,
              "Body": "agents at the bus stop"}
    first = post_signed(client, "/sms/inbound", params).get_data(as_text=True)
    second = post_signed(client, "/sms/inbound", params).get_data(as_text=True)
    assert calls == [1] and first == second and "got it" in second


def test_join_with_an_area_subscribes_from_the_phone(client):
    area = network.add_area("Old Town")
    body = text_in(client, "unirse old town", sender=NUMBER).get_data(as_text=True)
    sub = find_subscriber(NUMBER)
    assert sub.status == "active" and [a.id for a in sub.areas] == [area.id]
    assert sub.language == "es" and "Old Town" in body


def test_start_after_stop_lets_texts_through_again(client, twilio):
    text_in(client, "STOP", sender=NUMBER)
    text_in(client, "START", sender=NUMBER)
    assert send_sms(NUMBER, "alert", purpose="alert").status == "queued"
    assert len(twilio.requests) == 1


def test_help_alone_explains_and_help_with_words_goes_to_the_hotline(client):
    network.save_settings(network_name="Eastside Aid", hotline_number="+12025550199",
                          default_region="US", languages="en,es", code_of_conduct="Be kind.")
    body = text_in(client, "help", sender=NUMBER).get_data(as_text=True)
    assert "Eastside Aid" in body and "+12025550199" in body and "STOP" in body
    got = []
    router.set_fallback(lambda inbound: got.append(inbound.locale) or "ya vamos")
    body = text_in(client, "AYUDA la migra está aquí", sender=NUMBER).get_data(as_text=True)
    assert got == ["es"] and "ya vamos" in body


def test_a_failing_feature_gets_an_apology_not_an_error(client):
    def broken(inbound):
        raise RuntimeError("bug")

    router.set_fallback(broken)
    response = text_in(client, "hello", sender=NUMBER)
    assert response.status_code == 200 and "could not handle" in response.get_data(as_text=True)


def _sent_message(twilio):
    msg = send_sms(NUMBER, "alert", purpose="alert")
    assert msg.provider_sid
    return msg


def _status(client, msg, state, code=""):
    params = {"MessageSid": msg.provider_sid, "MessageStatus": state, "AccountSid": ACCOUNT_SID}
    if code:
        params["ErrorCode"] = code
    return post_signed(client, "/sms/status", params)


def test_status_callbacks_move_forward_only(client, twilio):
    msg = _sent_message(twilio)
    assert _status(client, msg, "sent").status_code == 204
    db.session.refresh(msg)
    assert msg.status == "sent"
    _status(client, msg, "delivered")
    _status(client, msg, "sent")  # arrives late
    _status(client, msg, "delivered")  # Twilio retried
    db.session.refresh(msg)
    assert msg.status == "delivered"


def test_undelivered_keeps_the_error_code(client, twilio):
    msg = _sent_message(twilio)
    _status(client, msg, "undelivered", "30003")
    db.session.refresh(msg)
    assert msg.status == "undelivered" and msg.error_code == 30003


def test_status_21610_suppresses_the_number(client, twilio):
    msg = _sent_message(twilio)
    _status(client, msg, "failed", "21610")
    assert is_suppressed(NUMBER)
    assert send_sms(NUMBER, "again", purpose="alert").status == "suppressed"


def test_unknown_message_status_is_ignored(client):
    params = {"MessageSid": "SMnothere", "MessageStatus": "delivered"}
    assert post_signed(client, "/sms/status", params).status_code == 204


form_values = st.one_of(st.text(max_size=300), st.text(min_size=2000, max_size=4000),
                        st.just(""), st.sampled_from(["STOP", "join", "+12025550123", "SM1"]))
forms = st.dictionaries(
    st.sampled_from(["MessageSid", "SmsSid", "From", "Body", "OptOutType", "To", "NumMedia",
                     "MessageStatus", "ErrorCode"]) | st.text(max_size=20),
    form_values, max_size=6)


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(params=forms)
def test_inbound_webhook_never_fails_on_strange_input(client, params):
    response = post_signed(client, "/sms/inbound", params)
    assert response.status_code in {200, 403}  # 403 only for what a signature cannot carry
    if response.status_code == 200:
        assert response.get_data(as_text=True).startswith("<?xml")
    assert post_signed(client, "/sms/status", params).status_code in {204, 403}


@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
@given(raw=st.binary(max_size=3000))
def test_unsigned_garbage_is_refused_not_crashed(client, raw):
    assert client.post("/sms/inbound", data=raw).status_code == 403
    assert client.post("/sms/status", data=raw,
                       content_type="application/x-www-form-urlencoded").status_code == 403


def test_a_huge_body_is_refused_cleanly(client):
    response = post_signed(client, "/sms/inbound", {"From": NUMBER, "Body": "x" * 600_000})
    assert response.status_code == 413


def test_opt_out_is_absolute_for_every_sender(client, twilio):
    """After STOP, alerts, reminders, hotline replies and codes all stop at the gateway."""
    from aid.sms.gateway import deliver_task, queue_sms

    queued = OutboundMessage(to_number=NUMBER, to_index="x", body="reminder", purpose="reminder",
                             status="queued", backend="twilio", attempts=0)
    db.session.add(queued)
    db.session.commit()
    text_in(client, "stop", sender=NUMBER)
    for purpose in ("alert", "reminder", "hotline", "verification", "subscription"):
        assert send_sms(NUMBER, "x", purpose=purpose).status == "suppressed"
        assert queue_sms(NUMBER, "x", purpose=purpose).status == "suppressed"
    deliver_task(queued.id)  # queued before the STOP, delivered after: still refused
    assert queued.status == "suppressed"
    router.set_fallback(lambda inbound: "a hotline reply")
    reply = text_in(client, "are you there?", sender=NUMBER).get_data(as_text=True)
    assert "a hotline reply" not in reply
    assert twilio.requests == []


def test_a_yes_that_twilio_counts_as_an_opt_in_still_answers_the_question(client):
    # Twilio's Advanced Opt-Out lists YES among its opt-in words and marks it START.
    router.on_answer("YES")(lambda inbound: "Thank you, we will see you on Tuesday.")
    body = text_in(client, "yes", sender=NUMBER, OptOutType="START").get_data(as_text=True)
    assert "we will see you on Tuesday" in body
    assert InboundMessage.query.one().handled_as == "yes"
