"""The demo network has a sent bulk text and one waiting for approval, so a newcomer (and
the browser walk) reaches every bulk text page."""

from __future__ import annotations

from sqlalchemy import select

from aid.auth import service as accounts
from aid.demo import DEMO_PASSWORD, create_demo
from aid.extensions import db
from aid.outreach.models import BulkText


def test_the_demo_has_a_sent_and_a_waiting_bulk_text(aid_test, client):
    list(create_demo())
    list(create_demo())  # twice changes nothing
    rows = db.session.scalars(select(BulkText).order_by(BulkText.id)).all()
    assert [b.status for b in rows] == ["sent", "pending"]

    aid_test.sign_in(client, accounts.find_by_email("coord@demo.example"), DEMO_PASSWORD)
    listing = client.get("/coordinator/texts").get_data(as_text=True)
    assert "Waiting for approval" in listing and "Sent" in listing
    sent = client.get(f"/coordinator/texts/{rows[0].id}").get_data(as_text=True)
    assert "volunteer training Tuesday" in sent
    waiting = client.get(f"/coordinator/texts/{rows[1].id}")
    assert waiting.status_code == 200
    assert "Approve and send" in waiting.get_data(as_text=True)  # the admin wrote it
