"""An applicant, or a coordinator for them, asks a vetted member to vouch: the member gets an
email with a link only they can open, without the applicant's name or vouch code."""

from __future__ import annotations

import re

from sqlalchemy import select

from aid.auth.models import Role
from aid.extensions import db
from aid.notify.models import Notification
from aid.volunteers import service
from tests.fakes.smtp_server import text_of
from tests.volunteers import factories


def _another(app, client):
    other = app.test_client()
    other.environ_base.update(client.environ_base)
    return other


def _link_path(body: str) -> str:
    return re.search(r"https?://[^/\s]+(/volunteers/vouch-request/\S+)", body).group(1)


def test_an_applicant_asks_a_member_who_opens_the_vouch_page(aid_test, app, client, smtp):
    applicant = factories.volunteer("applied", name="Lupe")
    member = factories.volunteer("vetted", name="Rosa")
    aid_test.sign_in(client, applicant)
    assert "Ask to vouch" in client.get("/my").get_data(as_text=True)
    response = aid_test.post_form(client, "/my/ask-vouch", {"email": member.email})
    assert response.headers["Location"] == "/my"
    assert "they have been asked to vouch" in client.get("/my").get_data(as_text=True)
    [mail] = smtp.to(member.email)
    body = text_of(mail)
    code = service.profile_for(applicant).vouch_code
    assert "asks you to vouch" in body and "Lupe" not in body and code not in body
    note = db.session.scalar(select(Notification).where(Notification.kind == "vouch_requested"))
    assert code not in note.link  # the stored link opens nothing by itself

    other = _another(app, client)
    aid_test.sign_in(other, factories.volunteer("vetted", name="Dev"))
    assert other.get(_link_path(body)).status_code == 404  # only the member asked
    opener = _another(app, client)
    aid_test.sign_in(opener, member)
    landing = opener.get(_link_path(body), follow_redirects=True).get_data(as_text=True)
    assert "Vouch for Lupe" in landing


def test_an_unknown_address_gets_the_same_answer_and_no_email(aid_test, client, smtp):
    applicant = factories.volunteer("applied")
    also_applying = factories.volunteer("applied")
    aid_test.sign_in(client, applicant)
    for address in ("nobody@example.org", also_applying.email, applicant.email):
        aid_test.post_form(client, "/my/ask-vouch", {"email": address})
        assert "If that address belongs to a vetted member" in client.get("/my").get_data(
            as_text=True)
    assert not smtp.messages
    bad = aid_test.post_form(client, "/my/ask-vouch", {"email": "not an address"})
    assert bad.status_code == 400 and 'value="not an address"' in bad.get_data(as_text=True)


def test_a_coordinator_asks_for_an_applicant_and_is_told_the_truth(aid_test, client, smtp,
                                                                   make_user):
    applicant = factories.volunteer("applied", name="Lupe")
    member = factories.volunteer("vetted", name="Rosa")
    aid_test.sign_in(client, make_user(Role.COORDINATOR))
    path = f"/coordinator/volunteers/{applicant.id}/ask-vouch"
    aid_test.post_form(client, path, {"email": "nobody@example.org"})
    page = client.get(f"/coordinator/volunteers/{applicant.id}").get_data(as_text=True)
    assert "No vetted member who has not vouched yet has that address." in page
    aid_test.post_form(client, path, {"email": member.email})
    page = client.get(f"/coordinator/volunteers/{applicant.id}").get_data(as_text=True)
    assert "The member has been asked to vouch." in page
    assert len(smtp.to(member.email)) == 1
    aid_test.post_form(client, path, {"email": member.email})  # asked once, told once
    assert len(smtp.to(member.email)) == 1
