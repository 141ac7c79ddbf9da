"""Admins set up the network and the staff accounts; everything they do is audited."""

from __future__ import annotations

import re

from aid.auth.models import Role, Status, User
from aid.extensions import db
from aid.network.models import Area, NetworkSettings
from aid.security.audit import AuditEvent


def actions() -> list[str]:
    return [e.action for e in db.session.scalars(db.select(AuditEvent).order_by(AuditEvent.id))]


def test_admin_saves_network_settings_that_every_page_shows(aid_test, client, signed_in):
    signed_in(Role.ADMIN)
    response = aid_test.post_form(client, "/admin/settings", {
        "network_name": "Eastside Rapid Response", "hotline_number": "(503) 555-0142",
        "default_region": "US", "languages": ["en", "es"], "code_of_conduct": "Be kind."})
    assert response.status_code == 302
    row = db.session.get(NetworkSettings, 1)
    assert row.hotline_number == "+15035550142"  # normalised to E.164
    html = client.get("/").get_data(as_text=True)
    assert "Eastside Rapid Response" in html and "tel:+15035550142" in html
    assert "settings.changed" in actions()


def test_bad_hotline_number_is_named_and_the_typed_values_stay(aid_test, client, signed_in):
    signed_in(Role.ADMIN)
    response = aid_test.post_form(client, "/admin/settings", {
        "network_name": "My network", "hotline_number": "call me maybe",
        "default_region": "US", "languages": ["en"], "code_of_conduct": "Be kind."})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "not a phone number" in html and 'value="My network"' in html
    assert db.session.get(NetworkSettings, 1) is None


def test_settings_sent_without_the_hotline_field_keep_the_number(aid_test, client, signed_in):
    """A form that leaves the field out (an old page, a script) is no 500 and keeps the
    number; an empty field is how an admin clears it."""
    signed_in(Role.ADMIN)
    fields = {"network_name": "Eastside Rapid Response", "default_region": "US",
              "languages": ["en"], "code_of_conduct": "Be kind."}
    aid_test.post_form(client, "/admin/settings", {**fields, "hotline_number": "(503) 555-0142"})
    response = aid_test.post_form(client, "/admin/settings", {**fields, "network_name": "East"})
    assert response.status_code == 302
    row = db.session.get(NetworkSettings, 1)
    db.session.refresh(row)
    assert (row.network_name, row.hotline_number) == ("East", "+15035550142")
    aid_test.post_form(client, "/admin/settings", {**fields, "hotline_number": ""})
    db.session.refresh(row)
    assert row.hotline_number == ""


def test_areas_are_added_once_and_retired_not_deleted(aid_test, client, signed_in):
    signed_in(Role.ADMIN)
    aid_test.post_form(client, "/admin/areas", {"name": "Old  Town"})
    duplicate = aid_test.post_form(client, "/admin/areas", {"name": "old town"})
    assert "already an area" in duplicate.get_data(as_text=True)
    area = db.session.scalars(db.select(Area)).one()
    assert area.name == "Old Town"
    aid_test.post_form(client, f"/admin/areas/{area.id}/toggle", {})
    db.session.refresh(area)
    assert area.active is False
    assert "retired" in client.get("/admin/areas").get_data(as_text=True)


def test_admin_adds_a_coordinator_who_sets_a_password_and_must_enrol(aid_test, client, signed_in,
                                                                     app):
    signed_in(Role.ADMIN)
    page = aid_test.post_form(client, "/admin/users/new", {
        "email": "Lucia@Example.org", "display_name": "Lucía", "role": "coordinator"})
    link = re.search(r"http://localhost(/setup/[\w-]+)", page.get_data(as_text=True)).group(1)
    newcomer = app.test_client()
    set_up = aid_test.post_form(newcomer, link, {"password": "a brand new password",
                                                 "confirm": "a brand new password"})
    assert set_up.status_code == 302
    assert newcomer.get(link).status_code == 404  # the link works once
    response = aid_test.post_form(newcomer, "/login", {"email": "lucia@example.org",
                                                       "password": "a brand new password"})
    assert response.headers["Location"].endswith("/login/enrol")


def test_role_change_and_suspension_are_audited_without_personal_data(aid_test, client, signed_in,
                                                                      make_user):
    signed_in(Role.ADMIN)
    volunteer = make_user(Role.VOLUNTEER, Status.APPLIED, email="vol@example.org")
    aid_test.post_form(client, f"/admin/users/{volunteer.id}", {"role": "volunteer",
                                                                "status": "vetted"})
    db.session.refresh(volunteer)
    assert volunteer.status == Status.VETTED
    entries = db.session.scalars(db.select(AuditEvent)).all()
    changed = [e for e in entries if e.action == "user.status_changed"]
    assert changed[0].detail == "applied -> vetted" and changed[0].target_id == volunteer.id
    assert "user.viewed" in actions()
    assert all("vol@example.org" not in e.detail for e in entries)
    log = client.get("/admin/audit").get_data(as_text=True)
    assert "user.status_changed" in log and "vol@example.org" not in log


def test_admin_cannot_demote_or_suspend_themselves(aid_test, client, signed_in):
    me = signed_in(Role.ADMIN)
    aid_test.post_form(client, f"/admin/users/{me.id}", {"role": "volunteer",
                                                         "status": "suspended"})
    db.session.refresh(me)
    assert me.role == Role.ADMIN and me.status == Status.VETTED


def test_lost_phone_reset_makes_the_coordinator_enrol_again(aid_test, client, signed_in, make_user,
                                                            app):
    signed_in(Role.ADMIN)
    coordinator = make_user(Role.COORDINATOR)
    aid_test.post_form(client, f"/admin/users/{coordinator.id}", {"action": "reset_totp"})
    fresh = app.test_client()
    response = aid_test.post_form(fresh, "/login", {"email": coordinator.email,
                                                    "password": "a long test password"})
    assert response.headers["Location"].endswith("/login/enrol")


def test_account_list_is_paginated(client, signed_in, make_user, app):
    signed_in(Role.ADMIN)
    app.config["ITEMS_PER_PAGE"] = 5
    for _ in range(7):
        make_user()
    first = client.get("/admin/users").get_data(as_text=True)
    assert "Page 1 of 2" in first and first.count("/admin/users/") >= 5
    second = client.get("/admin/users?page=2").get_data(as_text=True)
    assert "Page 2 of 2" in second
    assert db.session.scalar(db.select(db.func.count()).select_from(User)) == 8


def test_dates_show_in_the_readers_language_and_the_networks_time_zone(aid_test, client, signed_in):
    from datetime import datetime

    admin = signed_in(Role.ADMIN)
    aid_test.post_form(client, "/admin/settings", {
        "network_name": "Eastside", "default_region": "US", "languages": ["en", "es"],
        "code_of_conduct": "Be kind.", "code_of_conduct_es": "Sea amable.",
        "timezone": "America/Los_Angeles"})
    admin.last_login_at = datetime(2026, 12, 2, 17, 5)  # stored as UTC
    db.session.commit()
    english = client.get("/admin/users").get_data(as_text=True)
    assert "Wed 2 Dec 2026, 09:05" in english and "17:05" not in english
    client.post("/language", data={"lang": "es", "csrf_token": aid_test.csrf_token(client)})
    spanish = client.get("/admin/users").get_data(as_text=True)
    assert "mié 2 dic 2026, 09:05" in spanish


def test_the_code_of_conduct_is_shown_in_the_readers_language(aid_test, client, signed_in):
    signed_in(Role.ADMIN)
    aid_test.post_form(client, "/admin/settings", {
        "network_name": "Eastside", "default_region": "US", "languages": ["en", "es"],
        "code_of_conduct": "Be kind.", "code_of_conduct_es": "Sea amable.", "timezone": "UTC"})
    client.post("/logout", data={"csrf_token": aid_test.csrf_token(client)})
    assert "Be kind." in client.get("/volunteer/signup").get_data(as_text=True)
    spanish = client.get("/volunteer/signup", headers={"Accept-Language": "es"})
    assert "Sea amable." in spanish.get_data(as_text=True)
