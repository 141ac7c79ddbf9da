"""The panic wipe: afterwards no personal value is left anywhere, and the app still works."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select, text

from aid.auth.models import Role, User
from aid.extensions import db
from aid.hotline.models import HelpRequest
from aid.privacy.models import WipeCount
from aid.privacy.wipe import KEPT_TABLES
from aid.security.rotation import encrypted_columns
from aid.sms.models import Subscriber
from tests.helpers import PG_URL
from tests.privacy.support import PERSONAL, decrypted_values, row_counts
from tests.security.support import all_raw_values


def _form(aid_test, user, **extra):
    db.session.refresh(user)
    return {"area": "0", "password": "a long test password", "code": aid_test.totp_code(user),
            "phrase": "ERASE"} | extra


def test_no_table_holding_people_is_kept():
    for table, _cols in encrypted_columns():
        assert table.name not in KEPT_TABLES


def test_wipe_needs_password_and_code_then_erases_everything(aid_test, client, network, make_user):

    admin = network.admin
    aid_test.sign_in(client, admin)
    assert client.get("/admin/wipe").status_code == 200
    wrong = aid_test.post_form(client, "/admin/wipe", _form(aid_test, admin,
                                                            password="not my password"))
    assert wrong.status_code == 400 and "That password is not right." in wrong.get_data(True)
    no_code = aid_test.post_form(client, "/admin/wipe", _form(aid_test, admin, code="000000"))
    assert no_code.status_code == 400 and db.session.get(HelpRequest, network.request_id)

    done = aid_test.post_form(client, "/admin/wipe", _form(aid_test, admin), follow_redirects=True)
    assert "Only the counts below remain" in done.get_data(as_text=True)

    values = decrypted_values()
    for secret in PERSONAL:
        assert not any(secret.lower() in v.lower() for v in values), secret
    for raw in all_raw_values():
        for secret in PERSONAL:
            assert secret.lower().encode() not in raw.lower()
    counts = row_counts()
    assert counts["users"] == 1 and counts["help_requests"] == 0 and counts["sms_outbound"] == 0
    assert counts["volunteer_profiles"] == 0 and counts["board_posts"] == 0
    kept = {w.table_name: w.rows for w in db.session.scalars(select(WipeCount))}
    assert kept["help_requests"] == 1 and kept["users"] == 2  # all but the admin who wiped

    # The app still works: the admin is still signed in, public pages and the hotline serve.
    assert client.get("/admin/users").status_code == 200
    client.post("/logout", data={})
    assert client.get("/help").status_code == 200
    assert client.get("/board").status_code == 200


def test_wipe_one_area_keeps_the_others(client, network):
    from aid.network.models import Area

    area = db.session.scalar(select(Area).where(Area.name == "Eastside"))
    from aid.privacy.wipe import wipe_area

    counts = wipe_area(area.id)
    assert counts["help_requests"] == 1 and counts["sms_subscribers"] == 1
    assert db.session.get(HelpRequest, network.request_id) is None
    assert db.session.get(Subscriber, network.subscriber_id) is None
    assert any("call me on signal 555" in v for v in decrypted_values())  # Riverside's post
    assert db.session.scalar(select(User).where(User.role == Role.VOLUNTEER)) is not None


def test_cli_wipe_needs_yes_and_empties_every_account(runner, network):
    refused = runner.invoke(args=["wipe"])
    assert refused.exit_code != 0 and db.session.get(HelpRequest, network.request_id)
    result = runner.invoke(args=["wipe", "--yes"])
    assert "Wiped:" in result.output, result.output
    assert row_counts()["users"] == 0
    assert not decrypted_values()
    if not PG_URL:  # the database file itself, with deleted pages overwritten
        db.session.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
        path = Path(db.engine.url.database)
        raw = b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))
        assert b"network_settings" in raw
        assert b"+14155550123" not in raw
