"""Settings, areas and retention are kept in each process (aid.snapshots), and a change is
seen on the very next page."""

from __future__ import annotations

import pytest

from aid.auth.models import Role
from aid.extensions import db
from aid.network import service as network
from aid.network.models import Area, NetworkSettings
from aid.privacy import service as privacy


def test_a_saved_network_name_shows_on_the_next_page(aid_test, client, signed_in):
    assert "Aid" in client.get("/").get_data(as_text=True)  # the defaults, now kept
    signed_in(Role.ADMIN)
    aid_test.post_form(client, "/admin/settings", {
        "network_name": "Eastside Rapid Response", "default_region": "US",
        "languages": ["en", "es"], "code_of_conduct": "Be kind."})
    assert "Eastside Rapid Response" in client.get("/").get_data(as_text=True)
    network.save_settings(network_name="Westside")
    assert "Westside" in client.get("/help").get_data(as_text=True)


def test_pages_after_the_first_do_not_read_the_settings_again(aid_test, client):
    client.get("/help")
    seen = aid_test.statements_sent(lambda: client.get("/help?again=1"))
    assert not [s for s, _p in seen if "network_settings" in s], seen


def test_the_kept_settings_cannot_be_changed_in_place(app):
    with pytest.raises(AttributeError):
        network.current_settings().surge = True  # type: ignore[misc]
    assert network.current_settings().surge is False


def test_a_change_rolled_back_is_never_shown(app):
    network.save_settings(network_name="Before")
    row = db.session.get(NetworkSettings, 1)
    row.network_name = "Never saved"
    db.session.flush()
    # Inside the transaction that wrote it, the change is what this transaction sees...
    assert network.current_settings().network_name == "Never saved"
    db.session.rollback()
    # ...and once it is rolled back, nobody sees it.
    assert network.current_settings().network_name == "Before"


def test_a_new_and_a_retired_area_show_at_once_in_the_help_form(aid_test, client, signed_in):
    assert "Old Town" not in client.get("/help").get_data(as_text=True)
    signed_in(Role.ADMIN)
    aid_test.post_form(client, "/admin/areas", {"name": "Old Town"})
    assert ">Old Town<" in client.get("/help").get_data(as_text=True)
    area = db.session.scalar(db.select(Area).where(Area.name == "Old Town"))
    aid_test.post_form(client, f"/admin/areas/{area.id}/toggle", {})
    assert ">Old Town<" not in client.get("/help").get_data(as_text=True)
    assert network.area_names()[area.id] == "Old Town"  # still names its old records


def test_a_saved_retention_period_is_used_at_once(app):
    assert privacy.retention_days("requests") == 90
    privacy.save_retention({"requests": 14})
    assert privacy.retention_days("requests") == 14
