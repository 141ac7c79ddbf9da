"""Updates and retractions reach exactly the people who got the original, in their
language, through the same two-person rule; the original stops being current."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from aid import errors
from aid.alerts import corrections, fanout, service
from aid.alerts.models import Alert, AlertState
from aid.extensions import db
from aid.sms import service as sms
from aid.sms.subscriptions import find_subscriber, leave
from tests.alerts.support import add_subscribers, draft, sent_alert


def test_a_retraction_reaches_exactly_the_original_recipients(aid_test, app, twilio, coordinator,
                                                             client, make_user):
    english = add_subscribers(3, "en")
    [spanish] = add_subscribers(1, "es")
    original = sent_alert(coordinator, bodies={"en": "ICE vans on Oak St.",
                                               "es": "Furgonetas de ICE en la calle Oak."})
    assert original.is_current
    newcomer = add_subscribers(1, "en")  # subscribed after the alert
    sms.suppress(english[0], "keyword")  # texted STOP since
    leave(find_subscriber(english[1]))  # left on the web since
    twilio.reset()
    aid_test.sign_in(client, coordinator)
    page = aid_test.post_form(client, f"/coordinator/alerts/{original.id}/correct", {
        "kind": "retraction", "body_en": "False alarm: no ICE on Oak St.",
        "body_es": "Falsa alarma: no hay ICE en la calle Oak.", "save": "1"},
        follow_redirects=True).get_data(as_text=True)
    assert "It goes only to the people who received alert" in page
    retraction = db.session.scalars(select(Alert).where(
        Alert.in_reply_to_id == original.id)).one()
    assert retraction.kind == "retraction" and retraction.status == AlertState.DRAFT
    aid_test.post_form(client, f"/coordinator/alerts/{retraction.id}/submit", {})
    got = {form["To"]: form["Body"] for form in twilio.sent}
    assert got == {english[2]: "False alarm: no ICE on Oak St.\nAid: STOP to stop",
                   spanish: "Falsa alarma: no hay ICE en la calle Oak.\nAid: BAJA para dejarlas"}
    assert newcomer[0] not in got
    db.session.refresh(original)
    assert not original.is_current  # retracted: no longer shown as current
    page = client.get(f"/coordinator/alerts/{original.id}").get_data(as_text=True)
    assert "current</span>" not in page


def test_a_big_correction_still_needs_a_second_coordinator(app, twilio, coordinator,
                                                          make_user):
    add_subscribers(60)
    second = make_user("coordinator", "vetted")
    original = sent_alert(coordinator, second)
    assert len(twilio.sent) == 60
    update = corrections.create(original, "update", {"en": "Vans left Oak St."}, coordinator)
    assert service.submit(update, coordinator) == AlertState.PENDING  # 60 > threshold 50
    assert service.preview_alert(update).recipients == 60
    with app.test_request_context(), pytest.raises(errors.NotAllowed):
        service.approve(update, coordinator)  # the author of the update
    service.approve(update, second)
    assert len(twilio.sent) == 120
    assert twilio.sent[-1]["Body"] == "Vans left Oak St.\nAid: STOP to stop"


def test_a_draft_or_a_retraction_cannot_be_corrected(aid_test, app, client, coordinator,
                                                     monkeypatch):
    add_subscribers(2)
    monkeypatch.setattr(fanout, "enqueue", lambda alert_id: None)
    unsent = service.create_draft(draft(), coordinator)
    aid_test.sign_in(client, coordinator)
    page = client.get(f"/coordinator/alerts/{unsent.id}/correct",
                      follow_redirects=True).get_data(as_text=True)
    assert "Only an alert that went out can be updated or retracted." in page
