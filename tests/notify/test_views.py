"""The preferences page under /my, and the admins' counts."""

from __future__ import annotations

import re

from aid.auth.models import Role, Status
from aid.notify import events
from aid.notify import service as notify
from aid.notify.forms import FIXED
from aid.notify.models import NoteState


def choices(**chosen: str) -> dict[str, str]:
    """Every channel select, as a browser sends the form: email unless said otherwise."""
    return {"language": "", **{f"kind_{name}": chosen.get(name, "email")
                               for name in events.KINDS if name not in FIXED}}


def test_a_volunteer_chooses_channels_quiet_hours_and_language(aid_test, client, signed_in):
    user = signed_in(Role.VOLUNTEER, Status.VETTED)
    page = client.get("/my/notifications").get_data(as_text=True)
    assert "A request is assigned to you" in page and "Days I am on duty" not in page
    response = aid_test.post_form(client, "/my/notifications", {
        **choices(assigned="sms", moderation="none"), "quiet_start": "22:00",
        "quiet_end": "07:30", "language": "es"})
    assert response.status_code == 302
    pref = notify.preference(user.id)
    assert pref.channels["assigned"] == ["sms"] and pref.channels["moderation"] == []
    assert (pref.quiet_start, pref.quiet_end, pref.locale) == (22 * 60, 7 * 60 + 30, "es")


def test_a_wrong_time_is_refused_and_nothing_saved(aid_test, client, signed_in):
    user = signed_in(Role.VOLUNTEER, Status.VETTED)
    response = aid_test.post_form(client, "/my/notifications", {**choices(), "quiet_start": "25:00",
                                                        "quiet_end": "07:00"})
    assert response.status_code == 400 and "Write a time like 22:00." in response.get_data(
        as_text=True)
    assert notify.preference(user.id).quiet_start is None


def test_a_coordinator_chooses_on_duty_days(aid_test, client, signed_in):
    user = signed_in(Role.COORDINATOR, Status.VETTED)
    assert "Days I am on duty" in client.get("/my/notifications").get_data(as_text=True)
    response = aid_test.post_form(client, "/my/notifications", {**choices(), "on_duty": ["0", "2"]})
    assert response.status_code == 302, response.get_data(as_text=True)[-3000:]
    assert notify.preference(user.id).on_duty_days == "0,2"


def test_the_admin_sees_counts_by_kind_and_channel_with_failures(app, client, signed_in,
                                                                  make_user):
    coordinator = make_user(Role.COORDINATOR, Status.VETTED)
    sent = notify.notify(coordinator.id, "moderation", path="/coordinator/board/1")
    assert [r.state for r in sent] == [NoteState.SENT]  # console email
    notify.notify(notify.Recipient(locale="en"), "moderation")  # no address: not sent
    signed_in(Role.ADMIN, Status.VETTED)
    page = client.get("/admin/notifications").get_data(as_text=True)
    assert "Posts awaiting moderation" in page
    cells = re.findall(r"<td[^>]*>([^<]*)</td>", page)
    # kind, channel, then sent / not sent / waiting
    assert cells[2:5] == ["1", "1", "0"], cells
    assert coordinator.email not in page


def test_only_admins_see_the_counts(client, signed_in):
    signed_in(Role.COORDINATOR, Status.VETTED)
    assert client.get("/admin/notifications").status_code == 403
