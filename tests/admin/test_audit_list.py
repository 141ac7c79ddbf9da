"""The audit log filtered by an action's first letters: the page and its total agree, in any
case the prefix is typed, and on SQLite the total reads only the matching index entries."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import text

from aid.extensions import db
from aid.security import audit
from aid.security.audit import AuditEvent

_COPY = """INSERT INTO audit_events (at, action, target_type, target_id, detail)
  WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < :n)
  SELECT CURRENT_TIMESTAMP, CASE WHEN i % 4 = 0 THEN 'volunteer.viewed'
    ELSE 'board_post.approved' END, 'user', i, '' FROM seq"""


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
    assert "USING COVERING INDEX ix_audit_events_action (action>? AND action<?)" in counted[0]
    assert db.session.query(AuditEvent).filter_by(action="volunteer.viewed").count() == 1000
