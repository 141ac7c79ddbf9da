"""Cases under every privacy duty: purge after closing, own-data export and deletion, the
wipe of one area and of everything, and key rotation."""

from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import func, select

from aid.auth.models import User
from aid.cases import legal, milestones, service
from aid.cases.models import Case, CaseMember, CaseNote, Milestone
from aid.extensions import db
from aid.privacy import owndata, registry, wipe
from aid.privacy.service import purge_all
from aid.timeutil import utcnow
from tests.cases.support import FAMILY_PHONE
from tests.volunteers import factories


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def test_closed_cases_are_purged_after_their_retention_period(app, make_case, coordinator):
    old, recent, still_open = make_case(), make_case(), make_case()
    service.add_note(old, coordinator, "Bond paid")
    milestones.add_milestone(old, coordinator, "release", utcnow() - timedelta(days=300))
    service.close_case(old, coordinator, now=utcnow() - timedelta(days=181))
    service.close_case(recent, coordinator, now=utcnow() - timedelta(days=10))
    old_id, kept = old.id, {recent.id, still_open.id}
    assert purge_all(dry_run=True, kinds=["cases"]) == {"cases": 1}
    assert purge_all(kinds=["cases"]) == {"cases": 1}
    assert {c.id for c in db.session.scalars(select(Case))} == kept
    assert db.session.scalar(select(CaseNote).where(CaseNote.case_id == old_id)) is None
    assert db.session.scalar(select(Milestone).where(Milestone.case_id == old_id)) is None


def test_a_volunteers_export_names_cases_by_number_and_deletion_leaves_the_team(
        app, make_case, coordinator):
    case = make_case(name="Lucia Gomez")
    volunteer = factories.volunteer()
    service.add_member(case, volunteer.id, coordinator)
    service.add_note(case, volunteer, "Lucia's brother is at the county jail")
    data = owndata.export(registry.ACCOUNT, volunteer)
    assert data["cases_you_are_on"][0]["case"] == case.id
    assert len(data["case_notes_you_wrote"]) == 1
    assert "Lucia" not in json.dumps(data, ensure_ascii=False)
    owndata.forget(registry.ACCOUNT, volunteer)
    assert db.session.get(User, volunteer.id) is None
    assert _count(CaseMember) == 0
    note = db.session.scalar(select(CaseNote).where(CaseNote.kind == "note"))
    assert note.author_id is None and "county jail" in note.body  # the case keeps its story


def test_a_requester_who_withdraws_is_erased_from_cases_too(app, make_case):
    from aid.hotline import service as hotline

    req, _token = hotline.create_request(hotline.Intake(
        category="legal", urgency="now", area_id=factories.area().id, language="es",
        contact_method="sms", details="Detuvieron a mi esposo", name="Lucia",
        phone=FAMILY_PHONE))
    case = make_case(source=service.source_for(request_id=req.id))
    other = make_case(phone="+12025550163")
    exported = owndata.export(registry.REQUESTER, req)
    assert [c["case"] for c in exported["cases_where_you_are_the_family_contact"]] == [case.id]
    owndata.forget(registry.REQUESTER, req)
    db.session.refresh(case)
    db.session.refresh(other)
    assert (case.contact_name, case.contact_phone, case.contact_phone_index) == ("", None, None)
    assert other.contact_phone == "+12025550163"


def test_an_area_wipe_and_the_full_wipe_take_cases(app, make_case, coordinator):
    from aid.network import service as network

    here = make_case()
    elsewhere = make_case()
    elsewhere.area_id = network.add_area("Old Town").id
    db.session.commit()
    here_area, elsewhere_id = here.area_id, elsewhere.id
    legal.save_entry(None, legal.ContactData(kind="lawyer", name="Ruiz", reach="555"),
                     coordinator)
    counts = wipe.wipe_area(here_area)
    assert counts["cases"] == 1
    assert [c.id for c in db.session.scalars(select(Case))] == [elsewhere_id]
    wipe.wipe_all()
    assert _count(Case) == 0 and _count(CaseNote) == 0


def test_key_rotation_reencrypts_cases_and_the_family_is_still_found_by_phone(
        app, app_factory, make_case, coordinator):
    from aid.security.crypto import new_key
    from tests.helpers import KEYS

    case = make_case(name="Lucia Gomez")
    row = milestones.add_milestone(case, coordinator, "hearing",
                                   utcnow() + timedelta(days=2), "Room 4B")
    row.reminded_72h_at = utcnow()
    db.session.commit()
    new_data, new_index = new_key(), new_key()
    both = app_factory(AID_DATA_KEYS=f"{new_data},{KEYS['AID_DATA_KEYS']}",
                       AID_INDEX_KEY=new_index)
    with both.app_context():
        result = both.test_cli_runner().invoke(
            args=["keys", "rotate", "--old-index-key", KEYS["AID_INDEX_KEY"]])
        assert "Re-encrypted" in result.output, result.output
    only_new = app_factory(AID_DATA_KEYS=new_data, AID_INDEX_KEY=new_index)
    with only_new.app_context():
        again = db.session.get(Case, case.id)
        assert again.contact_name == "Lucia Gomez"
        assert db.session.get(Milestone, row.id).place == "Room 4B"
        found = milestones.awaiting_answer(FAMILY_PHONE, utcnow())
        assert found is not None and found[0].id == case.id
