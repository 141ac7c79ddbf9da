from __future__ import annotations

import re
from datetime import timedelta

from aid.extensions import db
from aid.network import service as network
from aid.sms.models import Subscriber, VerificationCode
from aid.sms.subscriptions import Choices, audience, find_subscriber, subscribe
from aid.timeutil import utcnow

NUMBER = "+12025550123"


def _code_from(twilio) -> str:
    return re.search(r"\b(\d{6})\b", twilio.sent[-1]["Body"]).group(1)


def _start(aid_test, client, phone="(202) 555-0123", **extra):
    data = {"phone": phone, "topics": ["enforcement", "police"], "language": "es",
            "consent": "y", **extra}
    return aid_test.post_form(client, "/alerts/subscribe", data)


def test_subscribing_takes_a_code_sent_by_text(aid_test, client, twilio):
    area = network.add_area("Riverside")
    response = _start(aid_test, client, areas=[str(area.id)])
    assert response.status_code == 302 and response.headers["Location"].endswith("/confirm")
    assert twilio.sent[-1]["To"] == NUMBER and "Vence en 10 minutos" in twilio.sent[-1]["Body"]
    assert find_subscriber(NUMBER) is None  # nothing until the code is confirmed
    wrong = aid_test.post_form(client, "/alerts/subscribe/confirm", {"code": "000000"})
    if _code_from(twilio) != "000000":
        assert wrong.status_code == 400 and "not right" in wrong.get_data(as_text=True)
    done = aid_test.post_form(client, "/alerts/subscribe/confirm", {"code": _code_from(twilio)})
    assert "You are subscribed" in done.get_data(as_text=True)
    sub = find_subscriber(NUMBER)
    assert sub.status == "active" and sub.language == "es"
    assert [a.name for a in sub.areas] == ["Riverside"]
    assert sub.topics == ["enforcement", "police"]
    assert "Riverside" in twilio.sent[-1]["Body"] and "BAJA" in twilio.sent[-1]["Body"]


def test_codes_are_stored_hashed_and_phones_encrypted(aid_test, client, twilio):
    _start(aid_test, client)
    code = _code_from(twilio)
    row = db.session.execute(db.text("SELECT code_hash, phone, phone_index FROM sms_codes")).one()
    assert code not in row[0] and b"5550123" not in bytes(row[1]) and "5550123" not in row[2]


def test_a_code_expires(aid_test, client, twilio):
    _start(aid_test, client)
    VerificationCode.query.one().expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    response = aid_test.post_form(client, "/alerts/subscribe/confirm", {"code": _code_from(twilio)})
    assert "expired" in response.get_data(as_text=True) and find_subscriber(NUMBER) is None


def test_attempts_are_limited_even_for_the_right_code(aid_test, client, twilio):
    _start(aid_test, client)
    code = _code_from(twilio)
    wrong = "111111" if code != "111111" else "222222"
    for _ in range(5):
        aid_test.post_form(client, "/alerts/subscribe/confirm", {"code": wrong})
    response = aid_test.post_form(client, "/alerts/subscribe/confirm", {"code": code})
    assert "tried too many times" in response.get_data(as_text=True)
    assert find_subscriber(NUMBER) is None


def test_one_number_gets_at_most_three_codes_an_hour(aid_test, client, twilio):
    for _ in range(4):
        _start(aid_test, client)
    assert len(twilio.requests) == 3


def test_the_form_keeps_what_was_typed_when_consent_is_missing(aid_test, client, twilio):
    response = aid_test.post_form(client, "/alerts/subscribe",
                                  {"phone": "202 555 0123", "topics": ["police"], "language": "en"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Please tick this box" in html
    assert 'value="+12025550123"' in html and twilio.requests == []  # kept, in E.164


def test_a_stopped_number_gets_no_code_from_the_web(aid_test, client, twilio):
    from aid.sms.service import suppress

    suppress(NUMBER, "keyword")
    response = _start(aid_test, client)
    assert response.status_code == 302 and twilio.requests == []


def _subscribed(language="en"):
    return subscribe(NUMBER, Choices(topics=["police"], language=language), "web")


def _manage_code(aid_test, client, twilio):
    aid_test.post_form(client, "/alerts/manage", {"phone": NUMBER})
    return aid_test.post_form(client, "/alerts/manage/confirm", {"code": _code_from(twilio)})


def test_a_subscriber_changes_choices_after_confirming_a_code(aid_test, client, twilio):
    _subscribed()
    response = _manage_code(aid_test, client, twilio)
    assert response.headers["Location"].endswith("/alerts/manage/choices")
    page = client.get("/alerts/manage/choices").get_data(as_text=True)
    assert re.search(r'<input checked[^>]*value="police"', page)
    assert not re.search(r'<input checked[^>]*value="safety"', page)
    aid_test.post_form(client, "/alerts/manage/choices",
                       {"topics": ["safety", "community"], "language": "es"})
    sub = find_subscriber(NUMBER)
    assert sub.topics == ["community", "safety"] and sub.language == "es"


def test_a_subscriber_can_leave(aid_test, client, twilio):
    _subscribed()
    _manage_code(aid_test, client, twilio)
    response = aid_test.post_form(client, "/alerts/manage/leave", {})
    assert response.status_code == 302
    assert find_subscriber(NUMBER).status == "stopped"


def test_manage_says_the_same_for_a_number_that_is_not_subscribed(aid_test, client, twilio):
    response = aid_test.post_form(client, "/alerts/manage", {"phone": NUMBER})
    assert response.headers["Location"].endswith("/alerts/manage/confirm")
    assert twilio.requests == []
    page = client.get("/alerts/manage/confirm").get_data(as_text=True)
    assert "a code is on its way" in page


def test_the_choices_page_needs_a_confirmed_code(client):
    _subscribed()
    response = client.get("/alerts/manage/choices")
    assert response.status_code == 302 and response.headers["Location"].endswith("/alerts/manage")


def test_the_public_forms_are_rate_limited(aid_test, client, twilio):
    codes = [_start(aid_test, client, phone=f"+1202555{n:04d}").status_code for n in range(130,
                                                                                           137)]
    assert codes[:5] == [302] * 5 and codes[-1] == 429


def test_audience_follows_areas_and_topics(app):
    east, west = network.add_area("East"), network.add_area("West")
    everywhere = subscribe("+12025550101", Choices(topics=["police"]), "web")
    in_east = subscribe("+12025550102", Choices(area_ids=[east.id], topics=["police"]), "web")
    subscribe("+12025550103", Choices(area_ids=[west.id], topics=["police"]), "web")
    subscribe("+12025550104", Choices(area_ids=[east.id], topics=["community"]), "web")
    found = [s.id for s in db.session.scalars(audience([east.id], "police"))]
    assert found == [everywhere.id, in_east.id]
    assert len(list(db.session.scalars(audience(None, "police")))) == 3
    assert db.session.query(Subscriber).count() == 4


def test_outbox_is_not_for_coordinators(client, signed_in):
    signed_in("coordinator", "vetted")
    assert client.get("/admin/outbox").status_code == 403


def test_admin_sees_the_outbox_with_masked_numbers_and_it_is_audited(client, signed_in, twilio):
    from aid.security.audit import AuditEvent
    from aid.sms.gateway import send_sms

    send_sms(NUMBER, "Meeting at 7", purpose="community")
    signed_in("admin", "vetted")
    html = client.get("/admin/outbox").get_data(as_text=True)
    assert "Meeting at 7" in html and "…0123" in html and "5550123" not in html
    assert AuditEvent.query.filter_by(action="outbox.viewed").count() == 1


def test_home_page_offers_alerts_by_text(client):
    html = client.get("/").get_data(as_text=True)
    assert 'href="/alerts/subscribe"' in html and "Get alerts by text" in html


def test_the_outbox_pages_by_keyset_newest_first(aid_test, app_factory, make_user):
    import re

    from aid.sms.gateway import queue_sms

    app = app_factory(AID_ITEMS_PER_PAGE="2")
    with app.app_context():
        client = app.test_client()
        aid_test.sign_in(client, make_user("admin", "vetted"))
        for n in range(5):
            queue_sms(NUMBER, f"Message number {n}", purpose="community")
        seen, path = [], "/admin/outbox"
        while path:
            html = client.get(path).get_data(as_text=True)
            seen += re.findall(r"Message number (\d)", html)
            found = re.search(r'<a rel="next" href="([^"]+)"', html)
            path = found.group(1).replace("&amp;", "&") if found else ""
            assert not found or "after=" in path
        assert seen == ["4", "3", "2", "1", "0"]
