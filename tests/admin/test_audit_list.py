"""The audit log filtered by an action's first letters: the page and its total agree, in any
case the prefix is typed, and a rare action's page and total read only the matching entries
of ix_audit_events_action_order, on SQLite and on PostgreSQL."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import text

from aid.extensions import db
from aid.security import audit
from aid.security.audit import AuditEvent

# A quarter of the log volunteers viewed, and one settings change in 800 (5 in 4,000).
_COPY = """INSERT INTO audit_events (at, action, target_type, target_id, detail)
  WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < :n)
  SELECT CURRENT_TIMESTAMP, CASE WHEN i % 800 = 1 THEN 'settings.changed'
    WHEN i % 4 = 0 THEN 'volunteer.viewed' ELSE 'board_post.approved' END, 'user', i, ''
  FROM seq"""


def _events(n_volunteer: int, n_other: int) -> None:
    for i in range(n_volunteer):
        audit.record("volunteer.viewed", "user", i)
    for i in range(n_other):
        audit.record("board_post.approved", "board_post", i)
    db.session.commit()


@pytest.mark.parametrize("prefix", ["volunteer", "Volunteer", "volunteer.v"])
def test_the_filtered_page_and_its_total_agree(aid_test, paged_client, prefix):
    client = paged_client("admin")
    _events(7, 5)
    html = client.get(f"/admin/audit?action={prefix}").get_data(as_text=True)
    assert "Page 1 of 3" in html, re.findall(r"Page \d+ of[^<]+", html)
    pages = aid_test.walk_pages(client, f"/admin/audit?action={prefix}",
                                r'title="(volunteer\.viewed|board_post\.approved)"')
    assert [a for p in pages for a in p] == ["volunteer.viewed"] * 7


@pytest.mark.sqlite
def test_on_sqlite_the_filtered_total_reads_only_the_matching_entries(
        aid_test, client, make_user):
    aid_test.sign_in(client, make_user("admin"))
    db.session.execute(text(_COPY), {"n": 4000})
    db.session.commit()
    plans = aid_test.page_plans(client, "/admin/audit?action=volunteer", "audit_events")
    counted = [p for p in plans if "CO-ROUTINE" in p]
    assert len(counted) == 1, plans
    assert ("USING COVERING INDEX ix_audit_events_action_order (action>? AND action<?)"
            in counted[0])
    assert db.session.query(AuditEvent).filter_by(action="volunteer.viewed").count() == 1000


def _rare_action_plans(aid_test, client, make_user) -> list[str]:
    """A log of 4,000 entries, five of them settings changes: the plans of the page filtered
    by "Settings" (the page shows just those five, newest first)."""
    aid_test.sign_in(client, make_user("admin"))
    db.session.execute(text(_COPY), {"n": 4000})
    db.session.commit()
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text("ANALYZE audit_events"))  # as autovacuum would, after a day
        db.session.commit()
    html = client.get("/admin/audit?action=Settings").get_data(as_text=True)
    assert re.findall(r'title="([a-z_.]+)"', html) == ["settings.changed"] * 5
    plans = aid_test.page_plans(client, "/admin/audit?action=Settings", "audit_events",
                                sorts=True)
    assert len(plans) == 2, plans  # the total and the page
    return plans


@pytest.mark.sqlite
def test_on_sqlite_a_rare_actions_page_and_total_read_only_its_entries(
        aid_test, client, make_user):
    for plan in _rare_action_plans(aid_test, client, make_user):
        assert "ix_audit_events_action_order (action>? AND action<?)" in plan, plan
        # No walk of the whole log (SCAN), in the table's order or an index's.
        assert "SCAN audit_events" not in plan, plan


@pytest.mark.postgresql
def test_on_postgresql_a_rare_actions_page_and_total_read_only_its_entries(
        aid_test, client, make_user):
    for plan in _rare_action_plans(aid_test, client, make_user):
        assert "ix_audit_events_action_order" in plan, plan
        assert "Index Cond: (((action)::text ~>=~ 'settings'::text)" in plan, plan
        # Neither the whole table nor the whole log newest first by its key.
        assert "Seq Scan" not in plan and "pk_audit_events" not in plan, plan


@pytest.mark.sqlite
def test_on_sqlite_a_common_actions_page_walks_the_log_newest_first(
        aid_test, client, make_user, monkeypatch):
    """Past the count's cap the matches are many: the page is found walking the log in its
    order, sooner than by sorting every match (SQLite cannot tell a rare action from a
    common one; the total still says how many, up to the cap)."""
    from aid import pagination

    monkeypatch.setattr(pagination, "COUNT_CAP", 100)
    aid_test.sign_in(client, make_user("admin"))
    db.session.execute(text(_COPY), {"n": 4000})
    db.session.commit()
    html = client.get("/admin/audit?action=volunteer").get_data(as_text=True)
    assert re.findall(r'title="([a-z_.]+)"', html) == ["volunteer.viewed"] * 25
    assert "Page 1 of more than 4" in html, re.findall(r"Page \d+ of[^<]+", html)
    page = [p for p in aid_test.page_plans(client, "/admin/audit?action=volunteer",
                                           "audit_events") if "CO-ROUTINE" not in p]
    assert page == ["SCAN audit_events"], page  # newest first by the key, no sort
