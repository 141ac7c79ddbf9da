from __future__ import annotations

import threading
from datetime import timedelta

import pytest

from aid.extensions import db
from aid.phones import BadPhone
from aid.sms import gateway
from aid.sms.gateway import deliver_task, queue_sms, send_sms
from aid.sms.models import OutboundMessage
from aid.sms.service import is_suppressed
from aid.sms.subscriptions import Choices, find_subscriber, subscribe
from tests.fakes.fake_twilio import ACCOUNT_SID, AUTH_TOKEN, FROM_NUMBER

NUMBER = "+12025550123"


def test_a_text_goes_through_twilios_client_with_a_status_callback(app, twilio):
    msg = send_sms(NUMBER, "Shift tomorrow 9:00 at the library", purpose="reminder",
                   validity_period=900)
    [request] = twilio.requests
    assert request["path"] == f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages.json"
    assert request["auth"] == f"{ACCOUNT_SID}:{AUTH_TOKEN}"
    assert request["form"]["To"] == NUMBER and request["form"]["From"] == FROM_NUMBER
    assert request["form"]["Body"] == "Shift tomorrow 9:00 at the library"
    assert request["form"]["StatusCallback"] == "https://aid.example.org/sms/status"
    assert 890 <= int(request["form"]["ValidityPeriod"]) <= 900
    assert msg.status == "queued" and msg.provider_sid.startswith("SM") and msg.attempts == 1


def test_a_messaging_service_is_used_instead_of_a_number_when_configured(app, twilio):
    app.config["TWILIO_MESSAGING_SERVICE_SID"] = "MG" + "1" * 32
    send_sms(NUMBER, "hello", purpose="test")
    form = twilio.sent[0]
    assert form["MessagingServiceSid"] == "MG" + "1" * 32 and "From" not in form


def test_too_many_requests_is_retried_with_growing_waits(app, twilio, monkeypatch):
    waits = []
    real_sleep, caller = gateway.time.sleep, threading.current_thread()

    def sleep(seconds: float) -> None:
        # time.sleep is one function for every thread: keep only this send's waits
        # (the fake Twilio's threads sleep too).
        if threading.current_thread() is caller:
            waits.append(seconds)
        else:
            real_sleep(seconds)

    monkeypatch.setattr(gateway.time, "sleep", sleep)
    app.config["SMS_RETRY_SECONDS"] = 1.0
    twilio.fail_next(429, 20429, times=2)
    msg = send_sms(NUMBER, "alert", purpose="alert")
    assert len(twilio.requests) == 3
    assert msg.status == "queued" and msg.provider_sid and msg.attempts == 3
    assert 0.5 <= waits[0] <= 1.5 and 1.0 <= waits[1] <= 3.0  # backoff with jitter


def test_server_errors_are_retried_a_bounded_number_of_times(app, twilio):
    twilio.fail_next(500, None, times=10)
    msg = send_sms(NUMBER, "alert", purpose="alert")
    assert len(twilio.requests) == app.config["SMS_MAX_ATTEMPTS"] == 4
    assert msg.status == "failed" and "gave up after 4 tries" in msg.error_note


def test_a_client_error_is_not_retried(app, twilio):
    twilio.fail_next(400, 21211)  # invalid 'To' number
    msg = send_sms(NUMBER, "hello", purpose="hotline")
    assert len(twilio.requests) == 1
    assert msg.status == "failed" and msg.error_code == 21211


def test_unsubscribed_error_stops_the_subscriber_and_is_never_retried(app, twilio):
    subscribe(NUMBER, Choices(), "web")
    twilio.fail_next(400, 21610)
    msg = send_sms(NUMBER, "alert", purpose="alert")
    assert len(twilio.requests) == 1 and msg.status == "failed" and msg.error_code == 21610
    assert is_suppressed(NUMBER) and find_subscriber(NUMBER).status == "stopped"
    again = send_sms(NUMBER, "another alert", purpose="alert")
    assert again.status == "suppressed" and len(twilio.requests) == 1


def test_an_unreachable_twilio_is_retried_then_marked_failed(app, twilio):
    app.config["TWILIO_API_BASE"] = "http://127.0.0.1:9"  # nothing listens on the discard port
    msg = send_sms(NUMBER, "alert", purpose="alert")
    assert msg.status == "failed" and msg.attempts == 4 and "cannot reach" in msg.error_note


def test_a_stale_time_critical_text_is_dropped_instead_of_sent_late(app, twilio):
    msg = OutboundMessage(to_number=NUMBER, to_index="x", body="agents on 5th St",
                          purpose="alert", status="queued", backend="twilio",
                          validity_period=600, attempts=0)
    msg.created_at = gateway.utcnow() - timedelta(minutes=11)
    db.session.add(msg)
    db.session.commit()
    deliver_task(msg.id)
    assert msg.status == "failed" and "too late" in msg.error_note and twilio.requests == []


def test_queued_text_is_sent_by_the_worker_once(app, twilio):
    msg = queue_sms(NUMBER, "reminder", purpose="reminder")  # tests run the queue immediately
    assert msg.status == "queued" and msg.provider_sid and len(twilio.requests) == 1
    deliver_task(msg.id)  # a duplicated job sends nothing more
    assert len(twilio.requests) == 1


def test_a_number_that_is_not_a_phone_is_refused_before_anything_is_stored(app, twilio):
    with pytest.raises(BadPhone):
        send_sms("not a number", "hello", purpose="test")
    assert OutboundMessage.query.count() == 0


def test_console_backend_prints_and_keeps_the_text(app, twilio, capsys):
    app.config["SMS_BACKEND"] = "console"
    app.config["PUBLIC_URL"] = "http://127.0.0.1:5000"  # a developer's own machine
    msg = send_sms(NUMBER, "Your code is 123456", purpose="verification")
    assert "Your code is 123456" in capsys.readouterr().out
    assert msg.status == "sent" and twilio.requests == []


def test_numbers_and_bodies_are_encrypted_at_rest(app, twilio):
    send_sms(NUMBER, "agents at the corner store", purpose="alert")
    raw = db.session.execute(db.text("SELECT to_number, body, to_index FROM sms_outbound")).one()
    assert b"2025550123" not in bytes(raw[0]) and b"corner store" not in bytes(raw[1])
    assert "2025550123" not in raw[2]


def test_only_the_sms_feature_creates_or_changes_outgoing_message_rows():
    """The gateway is the one door: no other feature builds, inserts or updates a message row
    (privacy may delete them, past their keep period or on request)."""
    import re
    from pathlib import Path

    import aid

    writes = re.compile(r"OutboundMessage\(|insert\(OutboundMessage|update\(OutboundMessage|"
                        r"OutboundMessage\.__table__")
    root = Path(aid.__file__).parent
    found = [str(path.relative_to(root)) for path in root.rglob("*.py")
             if path.parent.name != "sms" and writes.search(path.read_text())]
    assert found == []
