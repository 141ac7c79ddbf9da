"""A poster without an account can have their one-time private link sent to the contact they
gave: by email at the real SMTP server, or by text at the fake Twilio."""

from __future__ import annotations

import re

from sqlalchemy import select, text

from aid.board.models import Post
from aid.extensions import db
from aid.network import service as network
from tests.fakes.smtp_server import text_of


def _post(aid_test, client, contact: str, **headers: str) -> tuple[str, str]:
    area = network.add_area("Eastside")
    response = aid_test.post_form(client, "/board/new", {
        "kind": "need", "category": "food", "area": str(area.id),
        "title": "Groceries for a family of four", "description": "Rice, milk, diapers.",
        "quantity": "", "first_name": "", "contact": contact, "expiry_days": "14"},
        headers=headers)
    html = response.get_data(as_text=True)
    link = re.search(r'class="secret" href="([^"]+)"', html).group(1)
    return html, link


def test_the_link_is_emailed_to_the_address_the_poster_gave(aid_test, client, smtp):
    html, link = _post(aid_test, client, "rosa@example.org")
    assert "Email me this link" in html
    token = link.rsplit("/", 1)[1]
    response = aid_test.post_form(client, f"/board/manage/{token}/send", {})
    assert response.headers["Location"] == f"/board/manage/{token}"
    [mail] = smtp.to("rosa@example.org")
    assert link in text_of(mail) and "Rice" not in text_of(mail)
    page = client.get(f"/board/manage/{token}").get_data(as_text=True)
    assert "We emailed the link to the address you gave." in page
    # Nothing in the database holds the link in clear.
    post = db.session.scalar(select(Post))
    dump = str(db.session.execute(text("SELECT * FROM audit_events")).all())
    assert token not in dump and post.manage_token_hash != token


def test_the_link_is_texted_in_spanish_to_the_phone_the_poster_gave(aid_test, app, client,
                                                                   twilio):
    network.save_settings(languages="en,es")
    html, link = _post(aid_test, client, "(415) 555-0144", **{"Accept-Language": "es"})
    assert "Envíenme este enlace por mensaje" in html
    token = link.rsplit("/", 1)[1]
    aid_test.post_form(client, f"/board/manage/{token}/send", {},
                       headers={"Accept-Language": "es"})
    [body] = [m["Body"] for m in twilio.sent if m["To"] == "+14155550144"]
    assert link in body and "enlace privado" in body
    raw = str(db.session.execute(text("SELECT body FROM sms_outbound")).all())
    assert token not in raw  # the text's row is encrypted like every text


def test_a_contact_that_is_not_an_address_offers_nothing_and_sending_is_refused(
        aid_test, client, twilio, smtp):
    html, link = _post(aid_test, client, "Signal: rosa.42")
    assert "this link" not in html.replace("keep this link", "")
    token = link.rsplit("/", 1)[1]
    response = aid_test.post_form(client, f"/board/manage/{token}/send", {})
    assert response.status_code == 302 and not twilio.sent and not smtp.messages
    page = client.get(f"/board/manage/{token}").get_data(as_text=True)
    assert "We have no email address or phone number" in page


def test_sending_needs_the_form_token_and_the_right_link(aid_test, client, smtp):
    _html, link = _post(aid_test, client, "rosa@example.org")
    token = link.rsplit("/", 1)[1]
    assert client.post(f"/board/manage/{token}/send").status_code == 400
    assert aid_test.post_form(client, "/board/manage/wrong-token/send", {}).status_code == 404
    assert not smtp.messages
