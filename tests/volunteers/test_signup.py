from __future__ import annotations

import re

from sqlalchemy import select

from aid.auth.models import User
from aid.extensions import db
from aid.volunteers.models import VolunteerProfile
from tests.volunteers import factories


def _form(**changes: object) -> dict:
    area = factories.area()
    data = {"display_name": "Lupe", "phone": "(202) 555-0143", "languages": ["es", "en"],
            "skills": ["interpreter", "driver"], "areas": [str(area.id)],
            "availability": ["sat-am", "sun-pm"],
            "referral": "Heard at the library; Rosa can vouch", "email": "Lupe@Example.org",
            "password": "a long enough password", "confirm": "a long enough password",
            "conduct": "y"}
    data.update(changes)
    return data


def test_signup_page_shows_the_networks_code_of_conduct(client):
    html = client.get("/volunteer/signup").get_data(as_text=True)
    assert "Code of conduct" in html and "never photograph people we accompany" in html


def test_signing_up_creates_an_applied_volunteer_with_encrypted_contact(aid_test, client):
    response = aid_test.post_form(client, "/volunteer/signup", _form())
    # No session from the form itself (issue 20: the answer must not differ for a known
    # email); the new volunteer signs in with what they chose.
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    signed = aid_test.post_form(client, "/login", {"email": "lupe@example.org",
                                          "password": "a long enough password"})
    assert signed.status_code == 302
    user = db.session.scalar(select(User))
    assert (user.role, user.status, user.display_name) == ("volunteer", "applied", "Lupe")
    profile = db.session.scalar(select(VolunteerProfile))
    assert profile.phone == "+12025550143"
    assert profile.language_list == ["es", "en"] and profile.skill_list == ["interpreter", "driver"]
    assert profile.availability_list == ["sat-am", "sun-pm"] and profile.conduct_version
    raw = db.session.execute(db.text(
        "SELECT phone, referral FROM volunteer_profiles")).one()
    assert b"2025550143" not in bytes(raw[0]) and b"Rosa" not in bytes(raw[1])
    page = client.get("/my").get_data(as_text=True)
    assert "Your application" in page and "/volunteers/vouch/" in page
    assert client.get("/shifts").status_code == 403  # applied: own profile only


def test_signup_errors_keep_what_was_typed(aid_test, client):
    response = aid_test.post_form(client, "/volunteer/signup",
                                  _form(phone="12", conduct="", languages=[]))
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "does not look like a phone number" in html
    assert "You need to agree to sign up" in html and "Choose at least one" in html
    assert 'value="Lupe"' in html and "Heard at the library" in html
    assert db.session.scalar(select(User)) is None


def test_signing_up_twice_with_one_email_creates_one_account_and_says_nothing(aid_test, client,
                                                                              app):
    first = aid_test.post_form(client, "/volunteer/signup", _form())
    other = app.test_client()
    response = aid_test.post_form(other, "/volunteer/signup", _form(email="lupe@example.org"))
    assert (response.status_code, response.headers["Location"]) == \
        (first.status_code, first.headers["Location"])
    assert "already exists" not in response.get_data(as_text=True)
    assert len(db.session.scalars(select(User)).all()) == 1


def test_signup_is_rate_limited(aid_test, app_factory):
    app = app_factory(AID_SIGNUP_LIMIT="2 per hour")
    with app.app_context():
        codes = []
        for n in range(3):
            client = app.test_client()
            codes.append(aid_test.post_form(client, "/volunteer/signup",
                                            _form(email=f"p{n}@example.org")).status_code)
        assert codes == [302, 302, 429]


def test_only_accepted_signups_count_and_the_refusal_says_the_true_wait(aid_test, app_factory):
    app = app_factory(AID_SIGNUP_LIMIT="2 per hour")
    with app.app_context():
        shared_wifi = app.test_client()
        mistyped = aid_test.post_form(shared_wifi, "/volunteer/signup", _form(email="not an email"))
        assert mistyped.status_code == 400
        codes = [aid_test.post_form(app.test_client(), "/volunteer/signup",
                           _form(email=f"p{n}@example.org")).status_code for n in range(3)]
        assert codes == [302, 302, 429]
        refused = aid_test.post_form(app.test_client(), "/volunteer/signup",
                                     _form(email="q@example.org"))
        page = refused.get_data(as_text=True)
        assert re.search(r"Wait (59|60) minutes and try again", page), page


def test_profile_edit_changes_the_profile(aid_test, client):
    aid_test.post_form(client, "/volunteer/signup", _form())
    aid_test.post_form(client, "/login", {"email": "lupe@example.org",
                                          "password": "a long enough password"})
    response = aid_test.post_form(client, "/my/profile",
                                  _form(display_name="Lupita", phone="+1 312 555 0199",
                                        skills=["tech"]))
    assert response.status_code == 302
    profile = db.session.scalar(select(VolunteerProfile))
    db.session.refresh(profile)
    assert profile.user.display_name == "Lupita" and profile.phone == "+13125550199"
    assert profile.skill_list == ["tech"]
    assert "Lupita" in client.get("/my").get_data(as_text=True)
