from __future__ import annotations

from sqlalchemy import select

from aid.auth.models import Role, User
from aid.extensions import db
from aid.security.audit import AuditEvent
from aid.shifts.models import Signup
from aid.sms.models import OutboundMessage
from aid.volunteers import service
from tests.volunteers import factories


def _vouch_path(user: User) -> str:
    return f"/volunteers/vouch/{service.profile_for(user).vouch_code}"


def _actions() -> list[str]:
    return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def test_coordinator_sees_applicants_and_approves_one(aid_test, client, signed_in):
    applicant = factories.volunteer("applied", name="Lupe")
    signed_in(Role.COORDINATOR)
    html = client.get("/coordinator/volunteers").get_data(as_text=True)
    assert "Lupe" in html and "0 / 2" in html
    detail = client.get(f"/coordinator/volunteers/{applicant.id}").get_data(as_text=True)
    assert "+1 202-555-0100" in detail and "Rosa from the church group" in detail
    assert "1 half-day a week" in detail  # not "1 half-days"
    response = aid_test.post_form(client, f"/coordinator/volunteers/{applicant.id}",
                                  {"decision": "approve"})
    assert response.status_code == 302
    db.session.refresh(applicant)
    assert applicant.status == "vetted"
    assert "volunteer.approved" in _actions() and "user.viewed" in _actions()
    # She hears at once, by text, that shifts are open to her.
    text = db.session.scalar(select(OutboundMessage).where(
        OutboundMessage.purpose == "volunteer_vetted"))
    assert text.to_number == "+12025550100" and "vetted volunteer" in text.body
    assert text.status == "sent"


def test_an_applicant_who_opted_out_is_not_texted_when_vetted(aid_test, client, signed_in):
    from aid.sms import service as sms

    applicant = factories.volunteer("applied", phone="+12025550177")
    sms.suppress("+12025550177", "test")
    signed_in(Role.COORDINATOR)
    aid_test.post_form(client, f"/coordinator/volunteers/{applicant.id}", {"decision": "approve"})
    texts = db.session.scalars(select(OutboundMessage).where(
        OutboundMessage.purpose == "volunteer_vetted")).all()
    assert [t.status for t in texts] == ["suppressed"]  # recorded, never handed over


def test_two_vouches_let_a_coordinator_confirm(aid_test, app, make_user):
    applicant = factories.volunteer("applied", name="Lupe")
    for name in ("Rosa", "Dev"):
        voucher = factories.volunteer("vetted", name=name)
        client = app.test_client()
        aid_test.sign_in(client, voucher)
        page = client.get(_vouch_path(applicant)).get_data(as_text=True)
        assert "Vouch for Lupe" in page
        aid_test.post_form(client, _vouch_path(applicant), {"note": "We canvass together"})
        assert "You have vouched" in client.get(_vouch_path(applicant)).get_data(as_text=True)
    coordinator = make_user(Role.COORDINATOR)
    staff = app.test_client()
    aid_test.sign_in(staff, coordinator)
    detail = staff.get(f"/coordinator/volunteers/{applicant.id}").get_data(as_text=True)
    assert "Rosa" in detail and "Dev" in detail and "We canvass together" in detail
    assert "Confirm on the strength of the vouches" in detail
    aid_test.post_form(staff, f"/coordinator/volunteers/{applicant.id}", {"decision": "confirm"})
    db.session.refresh(applicant)
    assert applicant.status == "vetted"
    confirmed = db.session.scalar(select(AuditEvent).where(
        AuditEvent.action == "volunteer.confirmed"))
    assert confirmed.detail == "2 vouches"


def test_confirming_without_enough_vouches_is_refused(aid_test, client, signed_in):
    applicant = factories.volunteer("applied")
    voucher = factories.volunteer("vetted")
    service.vouch(service.profile_for(applicant), voucher)
    signed_in(Role.COORDINATOR)
    response = aid_test.post_form(client, f"/coordinator/volunteers/{applicant.id}",
                                  {"decision": "confirm"}, follow_redirects=True)
    assert "Not enough vetted members have vouched yet" in response.get_data(as_text=True)
    db.session.refresh(applicant)
    assert applicant.status == "applied"


def test_vouch_threshold_is_configurable(app_factory):
    app = app_factory(AID_VOUCHES_NEEDED="1")
    with app.app_context():
        applicant = factories.volunteer("applied")
        service.vouch(service.profile_for(applicant), factories.volunteer("vetted"))
        service.decide(service.profile_for(applicant), service.Decision.CONFIRM)
        assert applicant.status == "vetted"


def test_vouches_from_people_no_longer_vetted_do_not_count(app):
    applicant = factories.volunteer("applied")
    first, second = factories.volunteer("vetted"), factories.volunteer("vetted")
    for voucher in (first, second):
        service.vouch(service.profile_for(applicant), voucher)
    service.decide(service.profile_for(second), service.Decision.SUSPEND)
    assert service.vouch_counts([applicant.id]) == {applicant.id: 1}


def test_applicants_cannot_vouch_and_nobody_vouches_twice(aid_test, app, client):
    applicant = factories.volunteer("applied")
    other = factories.volunteer("applied")
    aid_test.sign_in(client, other)
    assert client.get(_vouch_path(applicant)).status_code == 403
    voucher = factories.volunteer("vetted")
    service.vouch(service.profile_for(applicant), voucher)
    try:
        service.vouch(service.profile_for(applicant), voucher)
    except service.VettingError as exc:
        assert str(exc) == "already"
    else:
        raise AssertionError("a second vouch was accepted")
    assert client.get("/volunteers/vouch/not-a-real-code").status_code == 403


def test_suspension_ends_an_open_session_and_frees_places(aid_test, app, make_user):
    coordinator = make_user(Role.COORDINATOR)
    volunteer = factories.volunteer("vetted")
    waiting = factories.volunteer("vetted")
    shift = factories.shift(coordinator, needed=1)
    from aid.shifts import signups

    signups.sign_up(shift.id, volunteer)
    signups.sign_up(shift.id, waiting)
    their_client = app.test_client()
    aid_test.sign_in(their_client, volunteer)
    assert their_client.get("/shifts").status_code == 200
    staff = app.test_client()
    aid_test.sign_in(staff, coordinator)
    response = aid_test.post_form(staff, f"/coordinator/volunteers/{volunteer.id}",
                                  {"decision": "suspend"}, follow_redirects=True)
    assert "every session has ended" in response.get_data(as_text=True)
    after = their_client.get("/shifts")
    assert after.status_code == 302 and "/login" in after.headers["Location"]
    statuses = dict(db.session.execute(select(Signup.user_id, Signup.status)).all())
    assert statuses == {volunteer.id: "withdrawn", waiting.id: "confirmed"}
    assert "volunteer.suspended" in _actions()


def test_offboarding_is_final_and_training_is_recorded(aid_test, client, signed_in):
    volunteer = factories.volunteer("vetted")
    signed_in(Role.COORDINATOR)
    path = f"/coordinator/volunteers/{volunteer.id}"
    aid_test.post_form(client, path, {"decision": "orientation"})
    aid_test.post_form(client, path, {"decision": "training"})
    profile = service.profile_for(volunteer)
    db.session.refresh(profile)
    assert profile.orientation_at and profile.training_at
    aid_test.post_form(client, path, {"decision": "offboard"})
    response = aid_test.post_form(client, path, {"decision": "reinstate"}, follow_redirects=True)
    assert "who was not offboarded" in response.get_data(as_text=True)
    db.session.refresh(volunteer)
    assert volunteer.status == "suspended"
    assert {"volunteer.orientation_recorded", "volunteer.training_recorded",
            "volunteer.offboarded"} <= set(_actions())


def test_coordinator_pages_do_not_open_staff_accounts(aid_test, client, signed_in, make_user):
    admin = make_user(Role.ADMIN)
    signed_in(Role.COORDINATOR)
    assert client.get(f"/coordinator/volunteers/{admin.id}").status_code == 404
    assert aid_test.post_form(client, f"/coordinator/volunteers/{admin.id}",
                              {"decision": "suspend"}).status_code == 404


def test_applicant_list_query_count_does_not_grow_with_applicants(aid_test, client, signed_in):
    signed_in(Role.COORDINATOR)
    voucher = factories.volunteer("vetted")
    factories.volunteer("applied")
    few = aid_test.count_queries(client, "/coordinator/volunteers")
    for _ in range(6):
        applicant = factories.volunteer("applied")
        service.vouch(service.profile_for(applicant), voucher)
    assert aid_test.count_queries(client, "/coordinator/volunteers") == few
