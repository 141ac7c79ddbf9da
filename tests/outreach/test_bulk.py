"""A bulk text reaches exactly the filtered volunteers, minus numbers that texted STOP."""

from __future__ import annotations

from datetime import timedelta
from itertools import count

import pytest

from aid.auth.models import Role, Status, User
from aid.extensions import db
from aid.network import service as network
from aid.outreach.models import BulkText, BulkTextBody, BulkTextMessage
from aid.privacy import service as privacy
from aid.privacy.models import RETENTION_DEFAULTS
from aid.security.audit import AuditEvent
from aid.sms import service as sms
from aid.sms.models import OutboundMessage
from aid.timeutil import utcnow
from aid.volunteers import service as volunteers
from aid.volunteers.service import ProfileData
from tests.helpers import PASSWORD

_n = count(1)


def volunteer(phone: str, status: str = "vetted", languages: tuple[str, ...] = ("es",),
              area_ids: tuple[int, ...] = (), locale: str | None = None) -> User:
    n = next(_n)
    user = volunteers.sign_up(f"v{n}@example.org", PASSWORD, ProfileData(
        display_name=f"Volunteer {n}", phone=phone, languages=list(languages), skills=[],
        area_ids=list(area_ids), availability=[], referral=""))
    user.status, user.locale = status, locale
    db.session.commit()
    return user


@pytest.fixture
def network_areas(app) -> dict[str, int]:
    return {name: network.add_area(name).id for name in ("Riverside", "Eastside")}


@pytest.fixture
def coordinators(make_user) -> tuple[User, User]:
    return make_user(Role.COORDINATOR, Status.VETTED), make_user(Role.COORDINATOR, Status.VETTED)


def _compose(aid_test, client, query: str, **bodies: str):
    path = f"/coordinator/texts/new?{query}"
    data = {f"body_{k}": v for k, v in bodies.items()}
    preview = aid_test.post_form(client, path, {**data, "preview": "Preview"})
    sent = aid_test.post_form(client, path, {**data, "send": "Send"})
    return preview, sent


def test_reaches_the_filtered_set_minus_opted_out(aid_test, client, twilio, network_areas,
                                                  coordinators):
    river, east = network_areas["Riverside"], network_areas["Eastside"]
    wanted = [volunteer("+12025550201", area_ids=(river,)),
              volunteer("+12025550202", area_ids=(river, east), languages=("es", "en"),
                        locale="en")]
    volunteer("+12025550203", area_ids=(river,))  # opted out below
    volunteer("+12025550204", status="applied", area_ids=(river,))
    volunteer("+12025550205", languages=("en",), area_ids=(river,))
    volunteer("+12025550206", area_ids=(east,))
    sms.suppress("+12025550203", "keyword")
    aid_test.sign_in(client, coordinators[0])

    preview, sent = _compose(aid_test, client, f"status=vetted&language=es&area={river}",
                             en="Training Tuesday 7pm at the library.",
                             es="Capacitación el martes a las 7 en la biblioteca.")
    html = preview.get_data(as_text=True)
    assert "2 volunteers will get this text." in html
    assert "1 more opted out of texts (STOP) and is left out." in html
    assert all(u.display_name in html for u in wanted)
    assert "UCS-2" in html and "GSM-7" in html  # "ó" makes the Spanish text UCS-2

    assert sent.status_code == 302
    got = {m["To"]: m["Body"] for m in twilio.sent}
    assert got == {"+12025550201": "Capacitación el martes a las 7 en la biblioteca.",
                   "+12025550202": "Training Tuesday 7pm at the library."}
    bulk = db.session.scalar(db.select(BulkText))
    assert (bulk.status, bulk.recipients) == ("sent", 2)
    rows = db.session.scalars(db.select(OutboundMessage).where(OutboundMessage.purpose == "bulk"))
    assert [bool(m.provider_sid) for m in rows] == [True, True]  # handed over, once each
    actions = set(db.session.scalars(db.select(AuditEvent.action)))
    assert {"outreach.written", "outreach.approved", "outreach.sent"} <= actions


def test_above_the_threshold_a_second_coordinator_approves(aid_test, client, twilio,
                                                          network_areas, coordinators):
    author, second = coordinators
    for i in range(4):
        volunteer(f"+1202555030{i}", area_ids=(network_areas["Riverside"],))
    aid_test.sign_in(client, author)
    _preview, sent = _compose(aid_test, client, "status=vetted", es="Reunión el jueves.")
    bulk = db.session.scalar(db.select(BulkText))
    assert bulk.status == "pending" and twilio.sent == []
    detail = f"/coordinator/texts/{bulk.id}"
    assert sent.headers["Location"].endswith(detail)

    refused = aid_test.post_form(client, f"{detail}/approve", {}, follow_redirects=True)
    assert "Another coordinator has to approve a text you wrote." in refused.get_data(
        as_text=True)
    assert twilio.sent == []

    client.post("/logout", data={"csrf_token": aid_test.csrf_token(client)})
    aid_test.sign_in(client, second)
    sms.suppress("+12025550300", "keyword")  # a STOP between writing and approving still wins
    aid_test.post_form(client, f"{detail}/approve", {})
    db.session.refresh(bulk)
    assert bulk.status == "sent" and bulk.recipients == 3
    assert sorted(m["To"] for m in twilio.sent) == ["+12025550301", "+12025550302",
                                                    "+12025550303"]


def test_nothing_written_is_refused_in_the_persons_language(aid_test, client, coordinators):
    aid_test.sign_in(client, coordinators[0])
    path = "/coordinator/texts/new?status=vetted"
    page = aid_test.post_form(client, path, {"body_en": "", "send": "Send"},
                              headers={"Accept-Language": "es"})
    assert page.status_code == 400
    assert "Escriba el texto en al menos un idioma." in page.get_data(as_text=True)
    assert db.session.scalar(db.select(BulkText)) is None



def test_bulk_texts_go_in_the_nightly_purge_with_the_texts_they_were_sent_as(
        aid_test, client, twilio, network_areas, coordinators):
    volunteer("+12025550401", area_ids=(network_areas["Riverside"],))
    aid_test.sign_in(client, coordinators[0])
    _compose(aid_test, client, "status=vetted", es="Reunión de otoño en la biblioteca.")
    old = db.session.scalar(db.select(BulkText))
    assert old.status == "sent"
    long_ago = utcnow() - timedelta(days=RETENTION_DEFAULTS["sms_outbound"] + 1)
    old.created_at = long_ago
    for message in db.session.scalars(db.select(OutboundMessage)):
        message.created_at = long_ago
    db.session.commit()
    _compose(aid_test, client, "status=vetted", es="Reunión de invierno en la biblioteca.")
    recent = db.session.scalar(db.select(BulkText).where(BulkText.id != old.id))

    assert privacy.purge_all(dry_run=True)["sms_outbound"] == 2  # one old text, sent once
    assert privacy.purge_all()["sms_outbound"] == 2
    db.session.expire_all()
    assert db.session.scalars(db.select(BulkText.id)).all() == [recent.id]
    assert db.session.scalars(db.select(BulkTextBody.bulk_id)).all() == [recent.id]
    assert db.session.scalars(db.select(BulkTextMessage.bulk_id)).all() == [recent.id]
    texts = [b.body for b in db.session.scalars(db.select(BulkTextBody))] + [
        m.body for m in db.session.scalars(db.select(OutboundMessage))]
    assert texts and not any("otoño" in text for text in texts)
