"""Volunteers from a Google Forms export: map, dry run, import exactly what it listed."""

from __future__ import annotations

from sqlalchemy import func, select

from aid.auth import service as accounts
from aid.auth.models import Role, Status, User
from aid.extensions import db
from aid.volunteers.models import VolunteerProfile, Vouch

PATH = "/coordinator/import/volunteers"
FORM_EXPORT = (
    "Timestamp,Full name,Email address,Phone number,Languages you speak,Neighbourhood,"
    "When are you free?\n"
    '2026/11/02 9:14:01,Rosa Díaz,rosa@example.org,(202) 555-0150,"Spanish, English",'
    'Riverside,"Tuesday mornings, Saturday afternoon"\n'
    "2026/11/02 9:20:11,Ben Ode,ben@example.org,12345,English,Eastside,\n"
    "2026/11/02 9:31:45,Known Person,known@example.org,(202) 555-0152,English,Eastside,\n"
    "2026/11/03 10:02:00,Ana Ruiz,ana@example.org,(202) 555-0153,Español,Atlantis,\n"
    '2026/11/03 11:12:13,Marta Gil,marta@example.org,(202) 555-0154,"Spanish, Klingon",'
    '"Riverside, Eastside",Monday evening\n'
    "2026/11/03 12:00:00,Rosa Again,ROSA@example.org,(202) 555-0155,Spanish,Riverside,\n"
)


def _people() -> int:
    return db.session.scalar(select(func.count(User.id))) or 0


def test_dry_run_changes_nothing_and_import_creates_exactly_its_list(
        steps, signed_in, make_user, areas):
    make_user(Role.VOLUNTEER, Status.VETTED, email="known@example.org")
    coordinator = signed_in(Role.COORDINATOR, Status.VETTED)
    before = _people()

    page = steps.upload(PATH, FORM_EXPORT)
    html = page.get_data(as_text=True)
    assert page.status_code == 200, html
    assert "2 would be created." in html and "4 lines are refused." in html
    assert "Line 3: the phone number is missing or not valid" in html
    assert "Line 4: someone with this email already has an account" in html
    assert "Line 5: no area is called Atlantis" in html
    assert "Line 7: the same email is on an earlier line" in html
    assert "Klingon" in html  # a value it could not read is shown, not silently dropped
    again = steps.step(PATH, page, "dry_run")
    assert again.status_code == 200 and "2 would be created." in again.get_data(as_text=True)
    assert _people() == before  # two dry runs, nothing changed

    done = steps.step(PATH, again, "run")
    assert done.status_code == 302
    created = db.session.scalars(select(User).where(User.id > coordinator.id)).all()
    assert sorted(u.display_name for u in created) == ["Marta Gil", "Rosa Díaz"]
    assert _people() == before + 2
    assert {u.status for u in created} == {Status.APPLIED}
    rosa = next(u for u in created if u.display_name == "Rosa Díaz")
    profile = db.session.scalar(select(VolunteerProfile).where(VolunteerProfile.user_id == rosa.id))
    assert profile.phone == "+12025550150" and profile.language_list == ["es", "en"]
    assert profile.availability_list == ["tue-am", "sat-pm"]
    assert [a.name for a in profile.areas] == ["Riverside"]


def test_bad_lines_are_named_in_the_persons_language(steps, signed_in, areas):
    signed_in(Role.COORDINATOR, Status.VETTED)
    page = steps.upload(PATH, FORM_EXPORT, headers={"Accept-Language": "es"})
    html = page.get_data(as_text=True)
    assert "Línea 3: el número de teléfono falta o no es válido" in html
    assert "Línea 5: no hay ninguna zona llamada Atlantis" in html
    assert "Línea 7: el mismo correo está en una línea anterior" in html


def test_marked_vetted_only_with_a_recorded_reason(steps, signed_in, areas):
    coordinator = signed_in(Role.COORDINATOR, Status.VETTED)
    page = steps.upload(PATH, FORM_EXPORT.split("2026/11/02 9:20")[0])
    refused = steps.step(PATH, page, "run", vetted="y", reason="ok")
    assert refused.status_code == 400 and _people() == 1  # still only the coordinator
    assert "Say in a sentence why these people can be trusted." in refused.get_data(as_text=True)
    done = steps.step(PATH, page, "run", vetted="y",
                      reason="Rosa has run our food bank with us for two years")
    assert done.status_code == 302, done.get_data(as_text=True)
    rosa = accounts.find_by_email("rosa@example.org")
    assert rosa.status == Status.VETTED
    vouch = db.session.scalar(select(Vouch).where(Vouch.applicant_id == rosa.id))
    assert vouch.voucher_id == coordinator.id and "food bank" in vouch.note


def test_import_refuses_when_the_plan_changed_since_the_dry_run(steps, signed_in, make_user,
                                                                 areas):
    signed_in(Role.COORDINATOR, Status.VETTED)
    page = steps.upload(PATH, FORM_EXPORT)
    make_user(Role.VOLUNTEER, Status.APPLIED, email="marta@example.org")  # signs up meanwhile
    before = _people()
    result = steps.step(PATH, page, "run")
    assert result.status_code == 409
    assert "Something changed since the dry run" in result.get_data(as_text=True)
    assert _people() == before
