"""The legal-support directory: kept by coordinators, offered on cases that need a lawyer or
bond, matched by language and need."""

from __future__ import annotations

from sqlalchemy import select

from aid.cases import legal
from aid.cases.models import LegalContact
from aid.extensions import db
from tests.volunteers import factories


def _entry(coordinator, kind: str, name: str, languages, takes) -> LegalContact:
    return legal.save_entry(None, legal.ContactData(
        kind=kind, name=name, reach="Call 555-0100, weekdays", languages=list(languages),
        takes=list(takes)), coordinator)


def test_coordinators_keep_the_directory_and_volunteers_cannot(client, aid_test, coordinator):
    aid_test.sign_in(client, coordinator)
    added = aid_test.post_form(client, "/coordinator/legal/new", {
        "kind": "lawyer", "name": "Ortiz Immigration Law", "languages": ["es", "en"],
        "takes": ["lawyer", "bond"], "reach": "(202) 555-0190, ask for Ana", "active": "y"})
    assert added.status_code == 302
    entry = db.session.scalar(select(LegalContact))
    assert entry.language_list == ["es", "en"] and entry.take_list == ["lawyer", "bond"]
    assert "Ortiz Immigration Law" in client.get("/coordinator/legal").get_data(as_text=True)

    kept = aid_test.post_form(client, f"/coordinator/legal/{entry.id}/edit", {
        "kind": "lawyer", "name": "", "reach": "still here"})
    assert kept.status_code == 400 and "still here" in kept.get_data(as_text=True)
    aid_test.post_form(client, f"/coordinator/legal/{entry.id}/edit", {
        "kind": "clinic", "name": "Ortiz Clinic", "reach": "Walk in on Tuesdays",
        "languages": ["es"], "takes": ["lawyer"]})
    db.session.refresh(entry)
    assert (entry.kind, entry.name, entry.active) == ("clinic", "Ortiz Clinic", False)
    aid_test.post_form(client, f"/coordinator/legal/{entry.id}/delete", {})
    assert db.session.scalar(select(LegalContact)) is None

    volunteer = factories.volunteer()
    other = client.application.test_client()
    other.environ_base.update(client.environ_base)
    aid_test.sign_in(other, volunteer)
    assert other.get("/coordinator/legal").status_code == 403


def test_a_case_needing_a_lawyer_is_offered_matching_entries_and_links_one(
        client, aid_test, make_case, coordinator):
    spanish_lawyer = _entry(coordinator, "lawyer", "Abogada Ruiz", ["es"], ["lawyer"])
    english_fund = _entry(coordinator, "bond_fund", "Community Bond Fund", ["en"], ["bond"])
    english_clinic = _entry(coordinator, "clinic", "Law School Clinic", ["en"], ["lawyer"])
    _entry(coordinator, "lawyer", "Family Law Only", ["es"], ["childcare"])
    case = make_case(language="es", needs=("lawyer", "bond"))
    offered = legal.suggestions(case)
    assert offered[0] == spanish_lawyer  # speaks the family's language: first
    assert {e.id for e in offered} == {spanish_lawyer.id, english_fund.id, english_clinic.id}
    assert legal.suggestions(make_case(needs=("childcare",))) == []

    aid_test.sign_in(client, coordinator)
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "Abogada Ruiz" in page and "Suggested for this case" in page
    aid_test.post_form(client, f"/cases/{case.id}/legal", {"entry": str(spanish_lawyer.id)})
    assert [link.contact_id for link in legal.linked(case)] == [spanish_lawyer.id]
    assert spanish_lawyer not in legal.suggestions(case)
    refused = aid_test.post_form(client, f"/cases/{case.id}/legal", {"entry": "99999999999"})
    assert refused.status_code == 400
