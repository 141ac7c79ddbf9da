"""Compose with preview, the two-person rule, feeds, and who may do what."""

from __future__ import annotations

import re
from xml.etree import ElementTree

from sqlalchemy import select

from aid.alerts import reports, service
from aid.alerts.models import Alert, AlertState
from aid.auth.models import Role, Status
from aid.extensions import db
from tests.alerts.support import add_subscribers, draft, sent_alert

FORM = {"body_en": "ICE at the Oak St bus stop now. Do not open the door to agents.",
        "body_es": "ICE en la parada de Oak ahora. No abra la puerta a los agentes.",
        "topics": ["enforcement"], "severity": "Severe", "urgency": "Immediate",
        "certainty": "Observed", "expires": "6", "public": "y",
        "firsthand": "I am at the stop and can see two vans and six agents."}


def second_client(app, client):
    other = app.test_client()
    other.environ_base.update(client.environ_base)
    return other


def test_preview_shows_segments_and_exact_recipients_per_language(aid_test, app, client, areas,
                                                                   coordinator, twilio):
    add_subscribers(3, "en", [areas["Eastside"]])
    add_subscribers(2, "es", [areas["Eastside"]])
    add_subscribers(4, "es", [areas["Riverside"]])
    aid_test.sign_in(client, coordinator)
    body_es = "Agentes de inmigración en la parada de Oak. " * 2  # an accent: UCS-2
    response = aid_test.post_form(client, "/coordinator/alerts/new", {
        **FORM, "body_es": body_es, "areas": [str(areas["Eastside"])], "preview": "Preview"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    cell = r"<td[^>]*>"
    rows = re.findall(rf"<tr>{cell}(\w+|Español)</td>{cell}([\w-]+)</td>{cell}(\d+)</td>"
                      rf"{cell}(\d+)</td>{cell}(\d+)</td></tr>", page)
    # Each text ends with who sent it and how to stop them, counted with the rest:
    # "\nAid: STOP to stop" (18 characters) and "\nAid: BAJA para dejarlas" (24).
    assert rows == [("English", "GSM-7", "81", "1", "3"), ("Spanish", "UCS-2", "111", "2", "2")]
    assert "7 segments" in page and "<strong>5</strong>" in page
    assert body_es.strip() in page  # what was typed stays in the form
    assert not db.session.scalars(select(Alert)).all() and not twilio.sent  # nothing saved


def test_an_alert_needs_a_confirmed_report_or_a_first_hand_statement(aid_test, app, client,
                                                                      coordinator):
    unconfirmed = reports.create_report(reports.NewReport("enforcement", None, "", "now", "x"))
    aid_test.sign_in(client, coordinator)
    response = aid_test.post_form(client, "/coordinator/alerts/new", {**FORM, "firsthand": "",
                                                                      "save": "Save draft"})
    assert response.status_code == 400
    assert "Choose a confirmed report, or say what you saw yourself." in response.get_data(
        as_text=True)
    assert service.basis_error(draft(firsthand="", report_id=None)) is not None
    assert service.basis_error(draft(firsthand="", report_id=unconfirmed.id)) == \
        "That report is not confirmed."
    reports.verify(unconfirmed, coordinator, True, "seen")
    assert service.basis_error(draft(firsthand="", report_id=unconfirmed.id)) is None


def test_at_or_under_the_threshold_the_author_sends_alone(aid_test, app, client, coordinator,
                                                          twilio):
    add_subscribers(3)
    aid_test.sign_in(client, coordinator)
    response = aid_test.post_form(client, "/coordinator/alerts/new", {**FORM, "save": "Save draft"})
    detail = response.headers["Location"]
    assert "Send now" in client.get(detail).get_data(as_text=True)
    page = aid_test.post_form(client, detail + "/submit", {}, follow_redirects=True).get_data(
        as_text=True)
    assert "Sending now." in page and "100%" in page
    assert len(twilio.sent) == 3


def test_over_the_threshold_a_second_coordinator_must_approve(aid_test, app, client, coordinator,
                                                               make_user, twilio):
    app.config["ALERT_APPROVAL_THRESHOLD"] = 2
    add_subscribers(3)
    aid_test.sign_in(client, coordinator)
    detail = aid_test.post_form(client, "/coordinator/alerts/new",
                                {**FORM, "save": "Save draft"}).headers["Location"]
    assert "Ask a second coordinator to approve" in client.get(detail).get_data(as_text=True)
    page = aid_test.post_form(client, detail + "/submit", {}, follow_redirects=True).get_data(
        as_text=True)
    assert "another coordinator has to approve it" in page and not twilio.sent
    # The author tries to approve their own alert (the form is not even shown to them).
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    refused = client.post(detail + "/approve", data={"csrf_token": token},
                          follow_redirects=True).get_data(as_text=True)
    assert "Another coordinator has to approve an alert you wrote." in refused
    alert = db.session.scalar(select(Alert))
    assert alert.status == AlertState.PENDING and not twilio.sent
    other = second_client(app, client)
    aid_test.sign_in(other, make_user(Role.COORDINATOR, Status.VETTED))
    page = aid_test.post_form(other, detail + "/approve", {}, follow_redirects=True).get_data(
        as_text=True)
    assert "Approved. Sending now." in page and len(twilio.sent) == 3


def test_the_audience_growing_past_the_threshold_after_the_preview_still_needs_two(
        app, coordinator, twilio):
    app.config["ALERT_APPROVAL_THRESHOLD"] = 2
    add_subscribers(2)
    alert = service.create_draft(draft(), coordinator)
    assert not service.preview_alert(alert).needs_second
    add_subscribers(1)  # someone subscribes while the author reads the preview
    assert service.submit(alert, coordinator) == AlertState.PENDING
    assert not twilio.sent and alert.recipients == 0


def test_the_feeds_carry_sent_public_alerts_and_nothing_personal(app, client, coordinator,
                                                                 twilio):
    add_subscribers(1)
    sent = sent_alert(coordinator, bodies={"en": "Checkpoint on Oak St.",
                                           "es": "Retén en la calle Oak."})
    private = sent_alert(coordinator, public=False, bodies={"en": "Members only.", "es": ""})
    draft_only = service.create_draft(draft(bodies={"en": "Not sent yet", "es": ""}),
                                      coordinator)
    atom = client.get("/alerts/feed.atom")
    assert atom.mimetype == "application/atom+xml"
    text = atom.get_data(as_text=True)
    assert "Checkpoint on Oak St." in text and "Members only." not in text
    assert "Not sent yet" not in text
    assert coordinator.display_name not in text and "three vans" not in text
    cap = client.get(f"/alerts/{sent.id}.cap.xml")
    root = ElementTree.fromstring(cap.data)  # noqa: S314 (our own output, in a test)
    ns = {"cap": "urn:oasis:names:tc:emergency:cap:1.2"}
    assert root.find("cap:status", ns).text == "Actual"
    infos = root.findall("cap:info", ns)
    assert [i.find("cap:language", ns).text for i in infos] == ["en", "es"]
    assert infos[1].find("cap:description", ns).text == "Retén en la calle Oak."
    assert infos[0].find("cap:severity", ns).text == "Severe"
    assert coordinator.display_name not in cap.get_data(as_text=True)
    assert client.get(f"/alerts/{private.id}.cap.xml").status_code == 404
    assert client.get(f"/alerts/{draft_only.id}.cap.xml").status_code == 404


def test_only_coordinators_write_and_see_alerts(aid_test, app, client, make_user, coordinator):
    alert = service.create_draft(draft(), coordinator)
    aid_test.sign_in(client, make_user(Role.VOLUNTEER, Status.VETTED))
    assert client.get("/coordinator/alerts/new").status_code == 403
    assert client.get(f"/coordinator/alerts/{alert.id}").status_code == 403
    assert client.get("/coordinator/reports").status_code == 403
    assert aid_test.post_form(client, f"/coordinator/alerts/{alert.id}/cancel",
                              {}).status_code == 403
    assert "/coordinator/alerts\"" not in client.get("/").get_data(as_text=True)
    anonymous = second_client(app, client)
    assert anonymous.get("/alerts/report").status_code == 200
    assert anonymous.get("/coordinator/alerts").status_code == 302  # to sign-in


def test_the_progress_page_counts_deliveries_from_twilios_callbacks(aid_test, app, client,
                                                                    coordinator,
                                                                     twilio):
    from aid.sms.models import OutboundMessage
    from aid.sms.service import apply_status

    add_subscribers(2)
    alert = sent_alert(coordinator)
    first = db.session.scalars(select(OutboundMessage)).first()
    apply_status(first.provider_sid, "delivered", None)
    aid_test.sign_in(client, coordinator)
    page = client.get(f"/coordinator/alerts/{alert.id}").get_data(as_text=True)
    assert '<progress max="2" value="2">' in page
    assert re.search(r"<td[^>]*>English</td>" + r"<td[^>]*>(\d)</td>" * 5, page).groups() == (
        "0", "1", "1", "0", "0")


def test_the_spanish_cap_block_names_the_event_in_spanish_and_headlines_end_at_a_word(
        app, client, coordinator):
    long_en = ("Immigration agents are checking papers at the Oak Street bus stop and at the "
               "corner store next to it; stay away from both until we send an update")
    sent = sent_alert(coordinator, public=True,
                      bodies={"en": long_en, "es": "Retén en la calle Oak."})
    root = ElementTree.fromstring(client.get(f"/alerts/{sent.id}.cap.xml").data)  # noqa: S314
    ns = {"cap": "urn:oasis:names:tc:emergency:cap:1.2"}
    english, spanish = root.findall("cap:info", ns)
    assert english.find("cap:event", ns).text == "Immigration enforcement activity"
    assert spanish.find("cap:event", ns).text != english.find("cap:event", ns).text
    headline = english.find("cap:headline", ns).text
    assert headline.endswith("…") and len(headline) <= 121
    assert long_en.startswith(headline[:-1]) and long_en[len(headline) - 1] == " "


def test_compose_asks_in_plain_words_and_keeps_caps_values(aid_test, app, client, coordinator):
    aid_test.sign_in(client, coordinator)
    page = client.get("/coordinator/alerts/new").get_data(as_text=True)
    assert "How serious?" in page and "How soon must people act?" in page
    assert "How sure are we?" in page and "Seen by our own people" in page
    assert 'value="Severe"' in page and "Severity" not in page
    assert re.search(r'name="public"(?![^>]*checked)', page)  # publishing is never the default
    spanish = client.get("/coordinator/alerts/new", headers={"Accept-Language": "es"})
    assert "Texto en English" not in spanish.get_data(as_text=True)
