"""Hostile input on the public form: stored as typed (less the invisible characters the one
text cleaner removes), shown escaped, never a 500."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from aid.extensions import db
from aid.hotline.models import HelpRequest

# (typed, stored): markup and SQL stay as typed; emoji joined with U+200D stay whole; bidi
# overrides and control characters are removed (they reverse or hide text for coordinators).
NASTY = [
    ('<script>alert("x")</script><img src=x onerror=alert(1)>',) * 2,
    ("'; DROP TABLE help_requests; --",) * 2,
    ("Robert'); DELETE FROM users WHERE ('1'='1",) * 2,
    ("Necesito ayuda 🙏🏽👨\u200d👩\u200d👧 ya",) * 2,
    ("أحتاج مساعدة عاجلة \u202eevil\u202c", "أحتاج مساعدة عاجلة evil"),
    ("null\x00byte", "nullbyte"),
]


@pytest.mark.parametrize(("typed", "text"), NASTY)
def test_hostile_text_is_stored_as_typed_and_shown_escaped(aid_test, client, signed_in, help_data,
                                                           typed, text):
    response = aid_test.post_form(client, "/help", help_data(details=typed, name=typed[:80]))
    assert response.status_code == 302
    req = db.session.scalar(select(HelpRequest))
    assert req.details == text and req.name == text[:80]
    signed_in("coordinator")
    html = client.get(f"/coordinator/requests/{req.id}").get_data(as_text=True)
    assert "<script>alert" not in html and "<img src=x" not in html
    if "<script>" in text:
        assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html
    else:
        assert text.replace("'", "&#39;") in html
    assert db.session.scalar(select(func.count()).select_from(HelpRequest)) == 1


def test_oversized_text_is_refused_with_the_form_kept(aid_test, client, help_data):
    response = aid_test.post_form(client, "/help", help_data(details="x" * 4001, name="Lupe"))
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Field cannot be longer than 4000 characters" in html and 'value="Lupe"' in html
    response = aid_test.post_form(client, "/help", help_data(details="x" * 600_000))
    assert response.status_code == 413
    assert db.session.scalar(select(func.count()).select_from(HelpRequest)) == 0


@pytest.mark.parametrize("phone", ["12", "not a phone", "+1 000 000 0000", "5" * 30,
                                   "<b>555</b>", "+44 20 7946 0958 ext 1' OR 1=1"])
def test_invalid_phones_are_refused_and_kept(aid_test, client, help_data, phone):
    response = aid_test.post_form(client, "/help", help_data(phone=phone))
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "phone" in html.lower() and "<b>555</b>" not in html
    assert db.session.scalar(select(func.count()).select_from(HelpRequest)) == 0


def test_choices_outside_the_lists_are_refused(aid_test, client, help_data):
    for bad in ({"category": "immigration"}, {"urgency": "yesterday"},
                {"language": "fr"}, {"contact_method": "pigeon"}, {"area": "1 OR 1=1"}):
        assert aid_test.post_form(client, "/help", help_data(**bad)).status_code == 400, bad
    assert db.session.scalar(select(func.count()).select_from(HelpRequest)) == 0


def test_hostile_status_codes_and_queue_filters(aid_test, client, signed_in, make_request):
    make_request()
    for code in ("' OR 1=1 --", "<script>", "🙂" * 5, "A" * 19):
        response = aid_test.post_form(client, "/help/status", {"code": code})
        assert response.status_code == 404
        assert "<script>" not in response.get_data(as_text=True).split("</header>")[1]
    signed_in("coordinator")
    for query in ("code=' OR 1=1 --", "area=1;DROP", "assignee=<b>", "age=-1", "page=-3",
                  "status=%00", "urgency=🙂"):
        assert client.get(f"/coordinator/requests?{query}").status_code == 200, query
