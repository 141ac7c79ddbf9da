"""Coordinators keep reply templates per language and put one in a text in one tap."""

from __future__ import annotations

import re

from sqlalchemy import text

from aid.auth.models import Role
from aid.extensions import db
from aid.hotline import replies
from aid.hotline.models import EventKind, RequestEvent, SavedReply


def _add(aid_test, client, language: str, title: str, body: str):
    return aid_test.post_form(client, "/coordinator/replies",
                              {"language": language, "title": title, "body": body})


def test_replies_are_kept_per_language_and_encrypted(aid_test, client, signed_in):
    # The network speaks English and Spanish unless an admin says otherwise.
    signed_in(Role.COORDINATOR)
    assert _add(aid_test, client, "en", "Received", "We received your request {code}.") \
        .status_code == 302
    assert _add(aid_test, client, "es", "Recibida", "Recibimos su solicitud {code}.") \
        .status_code == 302
    page = client.get("/coordinator/replies").get_data(as_text=True)
    assert page.index("We received your request") < page.index("Recibimos su solicitud")
    assert [r.language for r in replies.for_language("es")] == ["es"]
    raw = db.session.execute(text("SELECT title, body FROM saved_replies")).all()
    assert raw and all(b"Recib" not in bytes(v) for row in raw for v in row)


def test_a_reply_in_a_language_the_network_does_not_use_is_refused(aid_test, client, signed_in):
    signed_in(Role.COORDINATOR)
    response = _add(aid_test, client, "fr", "Reçu", "Nous avons reçu votre demande.")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Nous avons reçu votre demande." in html  # what was typed is kept
    assert db.session.query(SavedReply).count() == 0


def test_an_empty_reply_is_refused_with_the_typed_title_kept(aid_test, client, signed_in):
    signed_in(Role.COORDINATOR)
    response = _add(aid_test, client, "en", "Lawyer", "")
    assert response.status_code == 400 and 'value="Lawyer"' in response.get_data(as_text=True)


def test_the_request_page_offers_its_language_first_and_fills_the_box(
        aid_test, client, signed_in, make_request):
    signed_in(Role.COORDINATOR)
    _add(aid_test, client, "en", "Received", "We received your request {code}.")
    _add(aid_test, client, "es", "Abogado", "Un abogado le llamará. Su código: {code}")
    req = make_request(language="es")
    html = client.get(f"/coordinator/requests/{req.id}").get_data(as_text=True)
    own, other = html.split("Saved replies in other languages")
    assert "Abogado" in own and "Received" not in own and "Received" in other
    es = db.session.query(SavedReply).filter_by(language="es").one()
    link = re.search(rf'href="([^"]*reply={es.id}[^"]*)"', html).group(1)
    # Without JavaScript: the link reloads the page with the reply in the box, code filled in.
    filled = client.get(link.replace("&amp;", "&")).get_data(as_text=True)
    box = re.search(r'<textarea[^>]*name="message"[^>]*>(.*?)</textarea>', filled, re.S).group(1)
    assert box.strip() == f"Un abogado le llamará. Su código: {req.code}"
    # With JavaScript the same text is in the link, for the small script to put in the box.
    assert f'data-reply-body="Un abogado le llamará. Su código: {req.code}"' in html


def test_a_saved_reply_is_sent_like_any_text(aid_test, client, signed_in, make_request):
    signed_in(Role.COORDINATOR)
    _add(aid_test, client, "en", "Received", "We received your request {code}.")
    req = make_request()
    row = db.session.query(SavedReply).one()
    body = replies.filled(row, req)
    response = aid_test.post_form(client, f"/coordinator/requests/{req.id}/reply",
                                  {"message": body})
    assert response.status_code == 302
    sent = db.session.query(RequestEvent).filter_by(request_id=req.id,
                                                    kind=EventKind.REPLY).one()
    assert sent.body == f"We received your request {req.code}."


def test_replies_can_be_changed_and_deleted(aid_test, client, signed_in):
    signed_in(Role.COORDINATOR)
    _add(aid_test, client, "en", "Received", "We received it.")
    row = db.session.query(SavedReply).one()
    aid_test.post_form(client, f"/coordinator/replies/{row.id}",
                       {"language": "en", "title": "Got it", "body": "We got it."})
    db.session.refresh(row)
    assert (row.title, row.body) == ("Got it", "We got it.")
    aid_test.post_form(client, f"/coordinator/replies/{row.id}/delete", {})
    assert db.session.query(SavedReply).count() == 0
    assert client.get(f"/coordinator/replies/{row.id}").status_code == 404


def test_only_coordinators_see_saved_replies(client, signed_in):
    assert client.get("/coordinator/replies").status_code == 302
    signed_in(Role.VOLUNTEER, "vetted")
    assert client.get("/coordinator/replies").status_code == 403
