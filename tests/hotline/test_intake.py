"""Asking for help on the web, by a coordinator on the phone, and checking a request's status."""

from __future__ import annotations

import re

from sqlalchemy import func, select, text

from aid.extensions import db
from aid.hotline import service
from aid.hotline.models import Channel, EventKind, HelpRequest, RequestEvent, State
from aid.phones import phone_index
from aid.security.audit import AuditEvent
from tests.hotline.support import token_from

FIELDS = {"csrf_token", "category", "urgency", "area", "language", "contact_method", "name",
          "phone", "details", "consent"}


def test_form_asks_only_what_helps_and_never_immigration_status(client, areas):
    html = client.get("/help").get_data(as_text=True)
    fields = set(re.findall(r'<(?:input|select|textarea)[^>]*name="(\w+)"', html))
    assert fields - {"next", "website", "started"} == FIELDS  # minus the bot check
    assert "Riverside" in html and "Old Town" in html
    assert "Someone to go with me" in html and "deletes it 90 days after" in html


def test_a_person_asks_for_help_and_gets_a_code_and_a_private_link(aid_test, client, help_data):
    response = aid_test.post_form(client, "/help", help_data())
    assert response.status_code == 302
    token = token_from(response.headers["Location"])
    req = db.session.scalar(select(HelpRequest))
    assert req.status == State.NEW and req.channel == Channel.WEB
    assert req.phone == "+12025550188" and req.phone_index == phone_index("+12025550188")
    assert req.details == "Mi hermano fue detenido esta mañana" and req.consent_at is not None

    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert req.code in page and f"/help/s/{token}" in page
    assert "A coordinator will look at it soon" in page
    assert "hermano" not in page  # the status page never repeats what was written


def test_refreshing_the_page_after_submitting_does_not_ask_twice(aid_test, client, help_data):
    location = aid_test.post_form(client, "/help", help_data()).headers["Location"]
    for _ in range(3):
        assert client.get(location).status_code == 200
    assert db.session.scalar(select(func.count()).select_from(HelpRequest)) == 1


def test_what_people_write_is_encrypted_at_rest(aid_test, client, help_data):
    aid_test.post_form(client, "/help", help_data())
    raw = db.session.execute(text("SELECT name, phone, details FROM help_requests")).one()
    for value in raw:
        assert b"Lupe" not in bytes(value) and b"hermano" not in bytes(value)
        assert b"2025550188" not in bytes(value)


def test_errors_keep_everything_typed(aid_test, client, help_data):
    response = aid_test.post_form(client, "/help", help_data(details="", phone="12"))
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "This does not look like a phone number" in html
    assert 'value="Lupe"' in html and 'value="12"' in html
    assert re.search(r'value="legal"[^>]*checked|checked[^>]*value="legal"', html)
    assert db.session.scalar(select(func.count()).select_from(HelpRequest)) == 0


def test_asking_for_a_text_needs_a_phone_number(aid_test, client, help_data):
    response = aid_test.post_form(client, "/help", help_data(phone=""))
    assert response.status_code == 400
    assert "Add a phone number so we can reach you" in response.get_data(as_text=True)
    response = aid_test.post_form(client, "/help", help_data(phone="", contact_method="check_back"))
    assert response.status_code == 302


def test_consent_is_required(aid_test, client, help_data):
    response = aid_test.post_form(client, "/help", help_data(consent=None))
    assert response.status_code == 400
    assert "We need your agreement" in response.get_data(as_text=True)


def test_an_area_not_on_the_list_is_refused(aid_test, client, help_data):
    response = aid_test.post_form(client, "/help", help_data(area="99999"))
    assert response.status_code == 400
    response = aid_test.post_form(client, "/help", help_data(area="other"))
    assert response.status_code == 302
    assert db.session.scalar(select(HelpRequest.area_id)) is None


def test_the_form_in_spanish(aid_test, client, areas):
    aid_test.post_form(client, "/language", {"lang": "es", "next": "/help"})
    html = client.get("/help").get_data(as_text=True)
    assert "Pedir ayuda" in html and "Alguien que me acompañe" in html


def test_the_public_form_is_rate_limited(aid_test, app_factory, help_data):
    app = app_factory(AID_HOTLINE_LIMIT="2 per minute")
    with app.app_context():
        client = app.test_client()
        assert aid_test.post_form(client, "/help", help_data()).status_code == 302
        assert aid_test.post_form(client, "/help", help_data()).status_code == 302
        response = aid_test.post_form(client, "/help",
                                      help_data(details="Necesito un abogado <pronto>"))
        html = response.get_data(True)
        assert response.status_code == 429 and "Please slow down" in html
        # What they wrote is shown back (escaped) so it is not lost; the token is not.
        assert "Necesito un abogado &lt;pronto&gt;" in html and "csrf" not in html.split("<main")[1]


def test_codes_are_easy_to_read_out(app):
    codes = {service.new_code() for _ in range(500)}
    assert len(codes) > 490
    for code in codes:
        assert re.fullmatch(r"[ACDEFHJKMNPRTVWXY3479]{3}-[ACDEFHJKMNPRTVWXY3479]{3}", code)
    assert service.normalise_code(" hx7 4kp ") == "HX7-4KP"  # typed any way, found
    assert service.normalise_code("HX7-4KQ") is None  # Q is never used: it is read as O
    assert service.normalise_code("AC0-47X") is None


# -- status lookup ------------------------------------------------------------------------

def test_status_lookup_shows_the_status_and_never_the_details(aid_test, client, make_request):
    req = make_request()
    lowered = req.code.lower().replace("-", " ")
    response = aid_test.post_form(client, "/help/status", {"code": lowered})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and req.code in html
    assert "A coordinator will look at it soon" in html
    assert "no food" not in html and "Ana" not in html and "5550123" not in html


def test_status_lookup_of_an_unknown_code(aid_test, client, make_request):
    make_request()
    response = aid_test.post_form(client, "/help/status", {"code": "AAA-AAA"})
    assert response.status_code == 404
    assert "could not find a request" in response.get_data(as_text=True)


def test_a_made_up_status_link_finds_nothing(client, make_request):
    make_request()
    response = client.get("/help/s/not-a-real-token")
    assert response.status_code == 404
    assert "could not find a request" in response.get_data(as_text=True)


def test_status_lookup_is_rate_limited(aid_test, app_factory, make_request):
    app = app_factory(AID_HOTLINE_STATUS_LIMIT="3 per minute")
    with app.app_context():
        client = app.test_client()
        codes = [aid_test.post_form(client, "/help/status", {"code": "AAA-AAA"}).status_code
                 for _ in range(4)]
        assert codes == [404, 404, 404, 429]


# -- phone intake -------------------------------------------------------------------------

def test_a_coordinator_records_a_call_through_the_same_form(aid_test, client, signed_in, help_data):
    coordinator = signed_in("coordinator")
    html = client.get("/coordinator/requests/new").get_data(as_text=True)
    assert "Record a call" in html and "The caller agreed" in html
    response = aid_test.post_form(client, "/coordinator/requests/new", help_data(name=""))
    req = db.session.scalar(select(HelpRequest))
    assert response.headers["Location"] == f"/coordinator/requests/{req.id}"
    assert req.channel == Channel.PHONE and req.taken_by_id == coordinator.id
    assert req.name is None
    created = db.session.scalar(select(RequestEvent).where(RequestEvent.kind == EventKind.CREATED))
    assert created.actor_id == coordinator.id
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert f"taken by {coordinator.display_name}" in page and "phone call" in page


def test_intake_is_audited_without_personal_data(aid_test, client, help_data):
    aid_test.post_form(client, "/help", help_data())
    entry = db.session.scalar(select(AuditEvent).where(
        AuditEvent.action == "help_request.created"))
    assert entry.detail == "channel web" and entry.actor_id is None
