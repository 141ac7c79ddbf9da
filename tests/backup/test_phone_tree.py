"""The offline phone tree: exactly the people who opted in, by area, in a file that opens with
age and the passphrase; made only after the password and a fresh code; recorded and listed."""

from __future__ import annotations

import csv
import io

import pyrage
from sqlalchemy import select

from aid.auth import service as accounts
from aid.auth.models import Role, Status, User
from aid.backup import phonetree
from aid.backup.models import PhoneTreeCopy
from aid.extensions import db
from aid.security.audit import AuditEvent
from aid.volunteers.service import profile_for
from tests.helpers import PASSWORD
from tests.volunteers import factories

PASSPHRASE = "seven lanterns over the river"


def _person(name: str, phone: str, role: Role = Role.VOLUNTEER, responder: bool = False,
            area: str = "Eastside") -> User:
    user = factories.volunteer(name=name, phone=phone)
    user.role = str(role)
    user.status = str(Status.VETTED)
    profile = profile_for(user)
    profile.responder = responder
    profile.areas = [factories.area(area)]
    if user.needs_totp:
        accounts.enrol_totp_now(user)
    db.session.commit()
    return user


def _download(aid_test, client, admin: User, fmt: str, password: str = PASSWORD):
    db.session.refresh(admin)
    return client.post("/admin/phone-tree", data={
        "csrf_token": aid_test.csrf_token(client, "/admin/phone-tree"), "password": password,
        "code": aid_test.totp_code(admin), "passphrase": PASSPHRASE, "confirm": PASSPHRASE,
        "fmt": fmt})


def test_the_phone_tree_holds_exactly_the_people_who_opted_in(aid_test, app, client, make_user):
    coordinator = _person("Coordinator Amara", "+12025550301", Role.COORDINATOR)
    responder = _person("Responder Bao", "+12025550302", responder=True, area="Riverside")
    _person("Responder Chidi", "+12025550303", responder=True)  # never opts in
    leaver = _person("Coordinator Dana", "+12025550304", Role.COORDINATOR)
    volunteer = _person("Volunteer Emeka", "+12025550305")

    # A responder opts in on their own page; an ordinary volunteer cannot.
    own = app.test_client()
    aid_test.sign_in(own, responder)
    assert "Put me on the phone tree" in own.get("/my").get_data(as_text=True)
    own.post("/my/phone-tree", data={"csrf_token": aid_test.csrf_token(own, "/my"),
                                     "action": "join"})
    assert "You are on the phone tree" in own.get("/my").get_data(as_text=True)
    other = app.test_client()
    aid_test.sign_in(other, volunteer)
    assert "phone tree" not in other.get("/my").get_data(as_text=True)
    refused_join = other.post("/my/phone-tree", data={
        "csrf_token": aid_test.csrf_token(other, "/my"), "action": "join"}, follow_redirects=True)
    assert "coordinators and responders only" in refused_join.get_data(as_text=True)
    phonetree.set_opt_in(coordinator, True)
    phonetree.set_opt_in(leaver, True)
    phonetree.set_opt_in(leaver, False)

    admin = make_user(Role.ADMIN)
    aid_test.sign_in(client, admin)
    assert "phone-tree-reminder" in client.get("/admin").get_data(as_text=True)
    page = client.get("/admin/phone-tree").get_data(as_text=True)
    assert "Coordinator Amara" in page and "Responder Bao" in page
    assert "Responder Chidi" not in page and "Coordinator Dana" not in page
    assert "Volunteer Emeka" not in page
    assert "No copy has been made yet" in page

    refused = _download(aid_test, client, admin, "csv", password="not my password at all")
    assert refused.status_code == 400
    assert db.session.scalar(select(PhoneTreeCopy)) is None

    response = _download(aid_test, client, admin, "csv")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    encrypted = response.get_data()
    assert b"Amara" not in encrypted and b"5550301" not in encrypted
    rows = list(csv.reader(io.StringIO(pyrage.passphrase.decrypt(encrypted, PASSPHRASE)
                                       .decode())))
    people = {(r[0], r[1], r[3]) for r in rows[1:] if len(r) == 5}
    assert people == {("Eastside", "Coordinator Amara", "+12025550301"),
                      ("Riverside", "Responder Bao", "+12025550302")}

    # The printable page (through the service: each authenticator code works once).
    with app.test_request_context():
        data, name = phonetree.make_copy(admin, "html", PASSPHRASE)
    assert name.endswith(".html.age")
    html = pyrage.passphrase.decrypt(data, PASSPHRASE)
    text = html.decode()
    assert "Coordinator Amara" in text and "Responder Bao" in text and "Riverside" in text
    for absent in ("Chidi", "Dana", "Emeka", "5550303", "5550304", "5550305"):
        assert absent not in text

    assert len(db.session.scalars(select(PhoneTreeCopy)).all()) == 2
    assert db.session.scalar(select(AuditEvent).where(
        AuditEvent.action == "phone_tree.downloaded")).actor_id == admin.id
    assert "phone-tree-reminder" not in client.get("/admin").get_data(as_text=True)
    wipe_page = client.get("/admin/wipe").get_data(as_text=True)
    assert "phone-tree-copies" in wipe_page and admin.display_name in wipe_page
