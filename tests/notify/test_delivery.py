"""Quiet hours, language, STOP, unsubscribe, a failing mail server, and never twice."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from aid.extensions import db
from aid.notify import sending
from aid.notify import service as notify
from aid.notify.models import NoteState, Notification
from aid.sms import service as sms
from aid.timeutil import utcnow
from tests.fakes.smtp_server import text_of

# Far ahead, so that a job run at once (at the real time) never finds these rows due;
# the test network's time zone is UTC.
NOON = datetime(2099, 12, 2, 12, 0)


def quiet(user_id: int, start: str, end: str, **kwargs) -> None:
    to_minutes = lambda t: int(t[:2]) * 60 + int(t[3:])  # noqa: E731
    notify.save_preferences(user_id, channels=kwargs.pop("channels", {}),
                            quiet_start=to_minutes(start), quiet_end=to_minutes(end),
                            locale=kwargs.pop("locale", None))


def rows(user_id: int) -> list[Notification]:
    return list(db.session.scalars(select(Notification).where(Notification.user_id == user_id)
                                   .order_by(Notification.id)))


def test_quiet_hours_hold_a_notice_until_they_end(app, volunteer, smtp, twilio):
    vol = volunteer()
    quiet(vol.id, "11:00", "13:30")
    notify.notify(vol.id, "assigned", path="/my/requests/1", now=NOON)
    assert smtp.to(vol.email) == [] and twilio.sent == []
    assert sending.dispatch_due(NOON + timedelta(minutes=89)) == 0
    assert sending.dispatch_due(NOON + timedelta(minutes=90)) == 2
    assert len(smtp.to(vol.email)) == 1 and len(twilio.sent) == 1


def test_quiet_hours_across_midnight(app, volunteer, smtp):
    vol = volunteer()
    quiet(vol.id, "22:00", "07:00")
    late = NOON.replace(hour=23)
    [row, _text] = notify.notify(vol.id, "assigned", now=late)
    assert row.state == NoteState.PENDING
    assert row.not_before == late.replace(hour=7) + timedelta(days=1)


def test_urgent_notices_ignore_quiet_hours(app, make_user, smtp):
    from aid.auth.models import Role, Status

    coordinator = make_user(Role.COORDINATOR, Status.VETTED)
    quiet(coordinator.id, "00:00", "23:59")
    notify.notify_on_duty("urgent_request", path="/coordinator/requests/9")
    assert len(smtp.to(coordinator.email)) == 1


def test_each_person_is_told_in_their_own_language(app, volunteer, smtp, twilio):
    vol = volunteer(phone="+12025550161", locale="es")
    notify.notify(vol.id, "assigned", path="/my/requests/3")
    [mail] = smtp.to(vol.email)
    assert "Se le asignó una solicitud" in text_of(mail)
    assert "Se le asignó una solicitud" in twilio.sent[0]["Body"]


def test_language_chosen_for_notifications_wins(app, volunteer, smtp):
    vol = volunteer(locale="es")
    quiet(vol.id, "00:00", "00:00", locale="en")  # equal times: no quiet hours at all
    notify.notify(vol.id, "assigned", path="/my/requests/3")
    assert "A request was assigned to you" in text_of(smtp.to(vol.email)[0])


def test_a_number_that_texted_stop_gets_no_text_but_still_email(app, volunteer, smtp, twilio):
    vol = volunteer(phone="+12025550162")
    sms.suppress("+12025550162", "STOP")
    notify.notify(vol.id, "assigned", path="/my/requests/4")
    assert twilio.sent == []
    assert len(smtp.to(vol.email)) == 1
    assert {r.channel: r.state for r in rows(vol.id)} == {
        "email": NoteState.SENT, "sms": NoteState.SUPPRESSED}


def test_channels_chosen_per_kind(app, volunteer, smtp, twilio):
    vol = volunteer()
    notify.save_preferences(vol.id, channels={"assigned": ["sms"]}, quiet_start=None,
                            quiet_end=None, locale=None)
    notify.notify(vol.id, "assigned", path="/my/requests/5")
    assert smtp.to(vol.email) == [] and len(twilio.sent) == 1


def test_one_click_unsubscribe_stops_that_kind_of_email(app, client, make_user, smtp):
    from aid.auth.models import Role, Status

    coordinator = make_user(Role.COORDINATOR, Status.VETTED)
    notify.notify(coordinator.id, "stale_request", path="/coordinator/requests/2")
    [mail] = smtp.to(coordinator.email)
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = mail["List-Unsubscribe"].strip("<>")
    assert url.startswith("https://aid.example.org/notify/unsubscribe/")
    # RFC 8058: the mail client POSTs with no cookie and no CSRF token.
    response = client.post(url.removeprefix("https://aid.example.org"),
                           data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    notify.notify(coordinator.id, "stale_request", path="/coordinator/requests/3")
    notify.notify(coordinator.id, "moderation", path="/coordinator/board/3")
    assert [m["Subject"] for m in smtp.to(coordinator.email)][1:] == [
        "Aid: Posts awaiting moderation"]


def test_essential_notices_have_no_unsubscribe_and_a_forged_token_is_refused(
        app, client, volunteer, smtp):
    vol = volunteer()
    notify.notify(vol.id, "shift_cancelled", path="/shifts/1")
    assert smtp.to(vol.email)[0]["List-Unsubscribe"] is None
    forged = notify.unsubscribe_token(vol.id, "shift_cancelled")
    assert client.post(f"/notify/unsubscribe/{forged}").status_code == 404
    assert client.post("/notify/unsubscribe/not-a-token").status_code == 404


def test_a_failing_mail_server_is_retried_and_the_rest_still_go(app, make_user, smtp):
    from aid.auth.models import Role, Status

    first, second = (make_user(Role.COORDINATOR, Status.VETTED) for _ in range(2))
    smtp.fail_next("451 4.3.0 try again later")
    start = utcnow()
    notify.notify(first.id, "moderation", path="/coordinator/board/1")
    notify.notify(second.id, "moderation", path="/coordinator/board/1")
    assert smtp.to(first.email) == [] and len(smtp.to(second.email)) == 1
    [row] = rows(first.id)
    assert row.state == NoteState.PENDING and row.attempts == 1
    assert sending.dispatch_due(start + timedelta(seconds=30)) == 0  # not due yet
    assert sending.dispatch_due(start + timedelta(seconds=120)) == 1
    assert len(smtp.to(first.email)) == 1 and len(smtp.to(second.email)) == 1
    db.session.refresh(row)
    assert row.state == NoteState.SENT and row.attempts == 2


def test_a_mail_server_that_is_down_loses_nothing(app, make_user, smtp):
    from aid.auth.models import Role, Status

    coordinator = make_user(Role.COORDINATOR, Status.VETTED)
    real = app.config["SMTP_URL"]
    app.config["SMTP_URL"] = "smtp://127.0.0.1:1"  # nothing listens there
    notify.notify(coordinator.id, "moderation", path="/coordinator/board/1")
    [row] = rows(coordinator.id)
    assert row.state == NoteState.PENDING and "retrying" in row.error_note
    app.config["SMTP_URL"] = real
    sending.dispatch_due(utcnow() + timedelta(minutes=2))
    assert len(smtp.to(coordinator.email)) == 1


def test_giving_up_after_the_last_try_is_recorded(app, make_user, smtp):
    from aid.auth.models import Role, Status

    coordinator = make_user(Role.COORDINATOR, Status.VETTED)
    app.config["NOTIFY_MAX_ATTEMPTS"] = 2
    smtp.fail_next("421 busy", times=2)
    notify.notify(coordinator.id, "moderation", path="/coordinator/board/1")
    sending.dispatch_due(utcnow() + timedelta(minutes=5))
    [row] = rows(coordinator.id)
    assert row.state == NoteState.FAILED and "gave up after 2 tries" in row.error_note


def test_a_permanent_refusal_is_recorded_as_bounced(app, make_user, smtp):
    from aid.auth.models import Role, Status

    coordinator = make_user(Role.COORDINATOR, Status.VETTED)
    smtp.fail_next("550 5.1.1 no such user")
    notify.notify(coordinator.id, "moderation", path="/coordinator/board/1", now=NOON)
    sending.dispatch_due(NOON + timedelta(hours=1))
    [row] = rows(coordinator.id)
    assert row.state == NoteState.BOUNCED and "550" in row.error_note
    assert smtp.messages == []


def test_a_claimed_row_is_never_sent_twice(app, make_user, smtp, monkeypatch):
    """A worker that dies after claiming: a restarted worker does not send the row again."""
    from aid.auth.models import Role, Status
    from aid.notify import service as notify_service

    coordinator = make_user(Role.COORDINATOR, Status.VETTED)
    monkeypatch.setattr(notify_service, "_enqueue", lambda note_id: None)  # the job is lost
    [row] = notify.notify(coordinator.id, "moderation", path="/coordinator/board/1", now=NOON)
    assert notify.claim(row.id, NOON)  # the first worker claims it, then is killed
    assert not notify.claim(row.id, NOON)  # a second worker cannot take it
    assert sending.deliver(row.id, NOON) is None
    sending.dispatch_due(NOON + timedelta(minutes=11))  # the restarted worker's sweep
    db.session.refresh(row)
    assert row.state == NoteState.FAILED and "interrupted" in row.error_note
    sending.dispatch_due(NOON + timedelta(hours=1))
    assert smtp.messages == []


def test_a_lost_job_is_picked_up_by_the_periodic_sweep(app, make_user, smtp, monkeypatch):
    from aid.auth.models import Role, Status
    from aid.notify import service as notify_service

    coordinator = make_user(Role.COORDINATOR, Status.VETTED)
    monkeypatch.setattr(notify_service, "_enqueue", lambda note_id: None)
    notify.notify(coordinator.id, "moderation", path="/coordinator/board/1", now=NOON)
    assert smtp.messages == []
    assert sending.dispatch_due(NOON + timedelta(minutes=1)) == 1
    assert sending.dispatch_due(NOON + timedelta(minutes=2)) == 0
    assert len(smtp.messages) == 1


def test_the_email_has_text_html_and_the_networks_name(app, volunteer, smtp):
    from aid.network import service as network

    network.save_settings(network_name="Red Vecinal")
    vol = volunteer()
    notify.notify(vol.id, "assigned", path="/my/requests/8")
    [mail] = smtp.to(vol.email)
    assert mail["Subject"].startswith("Red Vecinal:")
    assert "Red Vecinal" in mail["From"] and "aid@example.org" in mail["From"]
    assert mail.get_body(("html",)) is not None and "Red Vecinal" in text_of(mail)


@pytest.mark.parametrize("url", ["ftp://host", "smtp://"])
def test_a_wrong_smtp_url_is_a_permanent_failure(app, make_user, smtp, url):
    from aid.auth.models import Role, Status

    coordinator = make_user(Role.COORDINATOR, Status.VETTED)
    app.config["SMTP_URL"] = url
    notify.notify(coordinator.id, "moderation", path="/coordinator/board/1")
    assert rows(coordinator.id)[0].state == NoteState.BOUNCED


def test_console_backend_prints_with_the_address_masked(app, make_user, capsys):
    from aid.auth.models import Role, Status

    coordinator = make_user(Role.COORDINATOR, Status.VETTED, email="maria.lopez@example.org")
    app.config["SMTP_URL"] = "console"
    notify.notify(coordinator.id, "moderation", path="/coordinator/board/1")
    out = capsys.readouterr().out
    assert "m***@example.org" in out and "maria.lopez" not in out
    assert "A board post is waiting for moderation" in out

