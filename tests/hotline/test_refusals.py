"""A refused action on a request's page comes back to that page with the reason said."""

from __future__ import annotations

from sqlalchemy import select

from aid.extensions import db
from aid.hotline import service
from aid.hotline.models import EventKind, HelpRequest, RequestEvent, State
from aid.sms.models import OutboundMessage


def test_assigning_a_closed_request_says_to_reopen_it_first(aid_test, client, signed_in,
                                                            make_request, make_user):
    coordinator = signed_in("coordinator")
    rosa = make_user("volunteer", "vetted", name="Rosa")
    req = make_request()
    service.change_status(req, State.SPAM, coordinator)
    response = aid_test.post_form(client, f"/coordinator/requests/{req.id}/assign",
                                  {"volunteer": str(rosa.id)})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/coordinator/requests/{req.id}"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "This request is closed: reopen it first." in page
    assert db.session.get(HelpRequest, req.id).assignee_id is None


def test_replying_to_a_request_without_a_phone_says_so_and_sends_nothing(
        aid_test, client, signed_in, make_request):
    signed_in("coordinator")
    req = make_request(phone=None, contact_method="none")
    response = aid_test.post_form(client, f"/coordinator/requests/{req.id}/reply",
                                  {"message": "We found a lawyer."}, follow_redirects=True)
    assert response.status_code == 200
    assert "This request has no phone number to text." in response.get_data(as_text=True)
    assert not db.session.scalars(select(OutboundMessage)).all()
    assert not db.session.scalars(select(RequestEvent).where(
        RequestEvent.request_id == req.id, RequestEvent.kind == EventKind.REPLY)).all()
