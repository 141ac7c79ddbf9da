"""Audit views: filter by person and by record; the weekly summary of unusual access."""

from __future__ import annotations

from aid.auth.models import Role
from aid.extensions import db
from aid.security import audit


def test_filter_by_person_and_record(client, signed_in, make_user):
    nosy = make_user(Role.COORDINATOR, name="Nosy Parker")
    other = make_user(Role.COORDINATOR, name="Careful Carla")
    audit.record("help_request.viewed", "help_request", 7, actor_id=nosy.id)
    audit.record("help_request.viewed", "help_request", 8, actor_id=other.id)
    audit.record("shift.viewed", "shift", 7, actor_id=other.id)
    db.session.commit()
    signed_in(Role.ADMIN)
    by_person = client.get(f"/admin/audit?actor={nosy.id}").get_data(as_text=True)
    assert "Nosy Parker" in by_person and "Careful Carla" not in by_person
    by_record = client.get("/admin/audit?type=help_request&id=7").get_data(as_text=True)
    assert "Help request 7" in by_record and "Shift 7" not in by_record
    assert "Help request 8" not in by_record
    odd = client.get("/admin/audit?actor=x&id=';drop").status_code
    assert odd == 200


def test_weekly_summary_lists_who_opened_many_records(aid_test, app_factory, make_user):
    application = app_factory(AID_AUDIT_UNUSUAL_VIEWS="5")
    with application.app_context():

        nosy = make_user(Role.COORDINATOR, name="Nosy Parker")
        calm = make_user(Role.COORDINATOR, name="Careful Carla")
        for n in range(8):
            audit.record("help_request.viewed", "help_request", n, actor_id=nosy.id)
        audit.record("help_request.viewed", "help_request", 1, actor_id=calm.id)
        db.session.commit()
        client = application.test_client()
        aid_test.sign_in(client, make_user(Role.ADMIN))
        page = client.get("/admin/audit/unusual").get_data(as_text=True)
        assert "Nosy Parker" in page and "Careful Carla" not in page
        assert ">8<" in page
