"""Issue 20, points 4, 6 and 7: SMS toll fraud, crafted webhook numbers, signed webhooks."""

from __future__ import annotations

from aid.auth.models import Role
from aid.extensions import db, limiter
from aid.network import service as network
from aid.security import audit
from aid.sms.models import VerificationCode
from tests.fakes.fake_twilio import post_signed, text_in, twilio_settings

BUDGET_ACTION = "sms.code_budget_spent"  # the audit row that tells the admins

TOPICS = {"topics": ["enforcement"], "language": "es", "consent": "y"}


def _https_client(app):
    client = app.test_client()
    client.environ_base["wsgi.url_scheme"] = "https"
    client.environ_base["HTTP_REFERER"] = "https://localhost/"
    return client


def _subscribe(aid_test, client, phone: str):
    return aid_test.post_form(client, "/alerts/subscribe", {"phone": phone, **TOPICS})


# -- 4. SMS pumping ---------------------------------------------------------------------------

def test_numbers_outside_the_allowed_countries_get_no_code(aid_test, client, twilio):
    # A mobile abroad, a premium-rate number, a satellite phone.
    for phone in ("+447400123456", "+37190123456", "+881612345678"):
        response = _subscribe(aid_test, client, phone)
        # The same next page as for any number: nothing tells which were texted.
        assert response.status_code == 302 and response.headers["Location"].endswith("/confirm")
    assert twilio.sent == [] and VerificationCode.query.count() == 0
    _subscribe(aid_test, client, "(202) 555-0123")
    assert len(twilio.sent) == 1  # the network's own country still works


def test_an_admin_can_allow_another_country(aid_test, client, twilio):
    network.save_settings(code_countries="GB")
    _subscribe(aid_test, client, "+447400123456")
    assert len(twilio.sent) == 1 and twilio.sent[0]["To"] == "+447400123456"


def test_a_network_wide_budget_pauses_codes_and_tells_the_admins(aid_test, app, client, twilio,
                                                                 make_user):
    app.config["CODE_TEXTS_PER_HOUR"] = 3
    limiter.enabled = False  # as if from rotating addresses: per-client limits never bite
    try:
        for n in range(6):  # rotating numbers: the per-number limit never bites either
            _subscribe(aid_test, _https_client(app), f"(202) 555-01{n + 20:02d}")
    finally:
        limiter.enabled = True
    assert len(twilio.sent) == 3
    told = audit.AuditEvent.query.filter_by(action=BUDGET_ACTION).count()
    assert told == 1  # once per window, not once per refused code
    admin = _https_client(app)
    aid_test.sign_in(admin, make_user(Role.ADMIN))
    assert "reached their hourly or daily budget" in admin.get("/admin").get_data(as_text=True)


# -- 6. crafted numbers in a signed status callback -------------------------------------------

def test_a_signed_status_with_a_crafted_error_code_is_no_500(client):
    for code in ("²", "99999999999999999999999", "-5"):
        response = post_signed(client, "/sms/status", {"MessageSid": "SM1",
                                                      "MessageStatus": "failed",
                                                      "ErrorCode": code})
        assert response.status_code in (200, 204)
    db.session.rollback()


# -- 7. signed webhooks are never rate-limited ------------------------------------------------

def test_signed_texts_are_never_refused_by_the_rate_limit(app_factory, twilio):
    app = app_factory(**twilio_settings(twilio), AID_SMS_WEBHOOK_LIMIT="3 per minute")
    with app.app_context():
        limiter.reset()
        client = app.test_client()
        signed = [text_in(client, f"hello {n}").status_code for n in range(6)]
        unsigned = [client.post("/sms/inbound", data={"Body": "hi"}).status_code
                    for _ in range(5)]
    assert signed == [200] * 6
    assert unsigned[-1] == 429
