"""Reports: the public form, hotline requests made into reports, responders sent to check,
and who may mark a report true or false."""

from __future__ import annotations

from sqlalchemy import select, text

from aid.alerts import reports
from aid.alerts.models import Dispatch, Report
from aid.auth.models import Role, Status
from aid.extensions import db
from tests.alerts.support import responder

REPORT = {"kind": "enforcement", "place": "corner of Oak and 5th", "seen": "now",
          "details": "Two unmarked vans, agents in vests stopping people."}


def test_anyone_can_report_and_it_lands_unverified_first_for_coordinators(
        aid_test, app, client, areas, make_user):
    page = client.get("/alerts/report").get_data(as_text=True)
    assert "We need an early warning system" in page  # why('alerts')
    response = aid_test.post_form(client, "/alerts/report", {**REPORT,
                                                             "area": str(areas["Eastside"])},
                                  follow_redirects=True)
    assert "Coordinators will check your report" in response.get_data(as_text=True)
    old = reports.create_report(reports.NewReport("police", None, "", "today", "older one"))
    reports.verify(old, make_user(Role.COORDINATOR, Status.VETTED), True, "seen it")
    aid_test.sign_in(client, make_user(Role.COORDINATOR, Status.VETTED))
    listing = client.get("/coordinator/reports").get_data(as_text=True)
    assert listing.index("Unverified") < listing.index("Confirmed")
    raw = db.session.execute(text("SELECT place, details FROM alert_reports")).all()
    assert all("Oak" not in str(row) and "vans" not in str(row) for row in raw)


def test_the_public_report_form_is_rate_limited(aid_test, app, client):
    for _ in range(5):
        assert aid_test.post_form(client, "/alerts/report", REPORT).status_code == 302
    refused = aid_test.post_form(client, "/alerts/report", REPORT)
    assert refused.status_code == 429
    assert "Two unmarked vans" in refused.get_data(as_text=True)  # what they wrote, kept


def test_a_report_without_details_is_shown_back_with_what_was_typed(aid_test, app, client):
    response = aid_test.post_form(client, "/alerts/report", {**REPORT, "details": ""})
    assert response.status_code == 400 and "corner of Oak and 5th" in response.get_data(
        as_text=True)


def test_dispatch_texts_only_opted_in_responders_of_the_area_without_the_details(
        aid_test, app, client, areas, make_user, twilio):
    yes = responder(make_user, areas["Eastside"], phone="+12025550161")
    responder(make_user, areas["Eastside"], opted_in=False, phone="+12025550162")
    responder(make_user, areas["Riverside"], phone="+12025550163")
    report = reports.create_report(reports.NewReport("enforcement", areas["Eastside"],
                                                     "Oak and 5th", "now", "vans"))
    aid_test.sign_in(client, make_user(Role.COORDINATOR, Status.VETTED))
    page = aid_test.post_form(client, f"/coordinator/reports/{report.id}/dispatch", {},
                              follow_redirects=True).get_data(as_text=True)
    assert "Texted 1 responders." in page
    [sms] = twilio.sent
    assert sms["To"] == "+12025550161"
    assert f"/alerts/check/{report.id}" in sms["Body"] and "Eastside" in sms["Body"]
    assert "Oak" not in sms["Body"] and "vans" not in sms["Body"]
    assert db.session.scalars(select(Dispatch.user_id)).all() == [yes.id]
    assert db.session.get(Report, report.id).status == "dispatched"


def test_a_dispatched_responder_confirms_and_others_cannot_see_the_report(
        aid_test, app, client, areas, make_user):
    asked = responder(make_user, areas["Eastside"])
    report = reports.create_report(reports.NewReport("enforcement", areas["Eastside"],
                                                     "Oak and 5th", "now", "vans"))
    reports.dispatch(report, make_user(Role.COORDINATOR, Status.VETTED))
    stranger = make_user(Role.VOLUNTEER, Status.VETTED)
    aid_test.sign_in(client, stranger)
    assert client.get(f"/alerts/check/{report.id}").status_code == 404
    other = app.test_client()
    other.environ_base.update(client.environ_base)
    aid_test.sign_in(other, asked)
    page = other.get(f"/alerts/check/{report.id}").get_data(as_text=True)
    assert "Oak and 5th" in page
    aid_test.post_form(other, f"/alerts/check/{report.id}",
                       {"outcome": "confirmed", "note": "Saw the vans, 9:20."})
    db.session.refresh(report)
    assert report.status == "confirmed" and report.verified_by_id == asked.id
    assert report.verification_note == "Saw the vans, 9:20."


def test_a_coordinator_marks_a_report_false(aid_test, app, client, make_user):
    report = reports.create_report(reports.NewReport("police", None, "", "now", "rumour"))
    aid_test.sign_in(client, make_user(Role.COORDINATOR, Status.VETTED))
    response = aid_test.post_form(client, f"/coordinator/reports/{report.id}/verify",
                                  {"outcome": "false", "note": "Called the shop: nothing there."},
                                  follow_redirects=True)
    assert "The report is marked False." in response.get_data(as_text=True)
    assert db.session.get(Report, report.id).status == "false"


def test_a_hotline_request_becomes_a_report_with_one_button(aid_test, app, client, make_user):
    from aid.hotline import service as hotline

    req, _token = hotline.create_request(hotline.Intake(
        category="safety", urgency="now", area_id=None, language="es", contact_method="sms",
        details="Hay agentes en la parada del autobús", name="", phone="", consent=True))
    aid_test.sign_in(client, make_user(Role.COORDINATOR, Status.VETTED))
    page = client.get(f"/coordinator/requests/{req.id}").get_data(as_text=True)
    assert "Make a report" in page
    token = aid_test.csrf_token(client, f"/coordinator/requests/{req.id}")
    response = client.post(f"/coordinator/requests/{req.id}/report",
                           data={"csrf_token": token, "kind": "enforcement"},
                           follow_redirects=True)
    assert "Report created from the request" in response.get_data(as_text=True)
    report = db.session.scalar(select(Report))
    assert report.source == "hotline" and report.hotline_request_id == req.id
    assert report.details == "Hay agentes en la parada del autobús"


def test_a_volunteer_opts_in_as_responder_on_their_profile(aid_test, app, client, areas, make_user):
    user = responder(make_user, areas["Eastside"], opted_in=False)
    aid_test.sign_in(client, user)
    page = client.get("/my/profile").get_data(as_text=True)
    assert "I can go and check reports" in page
    aid_test.post_form(client, "/my/profile", {
        "display_name": user.display_name, "phone": "+12025550161", "languages": ["es"],
        "skills": ["legal_observer"], "areas": [str(areas["Eastside"])], "referral": "Rosa",
        "responder": "y"})
    report = reports.create_report(reports.NewReport("enforcement", areas["Eastside"], "",
                                                     "now", "vans"))
    assert [u.id for u in reports.responders_for(report)] == [user.id]
