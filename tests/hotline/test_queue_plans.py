"""The queue's page and its bounded count, filtered or not, walk an index in the queue's order
on a table of thousands of rows: never a sort of every matching row, never a full scan."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from aid import statistics
from aid.extensions import db
from aid.hotline import queries, service
from aid.hotline.models import State
from aid.network.models import Area
from aid.pagination import COUNT_CAP

_COPY = """INSERT INTO help_requests (code, status_token_hash, status, category, urgency, area_id,
  language, contact_method, channel, details, created_at, handled_at)
  WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < :n)
  SELECT printf('P%07d', i), printf('%064d', i),
    CASE WHEN i % 20 = 0 THEN 'new' WHEN i % 20 = 1 THEN 'triaged' ELSE 'resolved' END,
    CASE (i / 20) % 4 WHEN 0 THEN 'food' WHEN 1 THEN 'legal' WHEN 2 THEN 'housing'
      ELSE 'other' END,
    1 + i % 3, :area, CASE WHEN i % 3 = 0 THEN 'es' ELSE 'en' END, contact_method, channel,
    details, created_at, handled_at
  FROM seq, (SELECT * FROM help_requests LIMIT 1)"""


@pytest.fixture
def seeded(app):
    area = Area(name="North")
    db.session.add(area)
    db.session.commit()
    service.create_request(service.Intake("food", "days", area.id, "en", "check_back", "rice"))
    db.session.execute(text(_COPY), {"n": 20 * COUNT_CAP, "area": area.id})
    db.session.commit()
    statistics.refresh()  # the hourly job
    return area


def _plans(aid_test, args: dict[str, str]) -> tuple[str, str]:
    query = queries.queue_query(queries.Filters.from_args(args))
    return (aid_test.query_plan(query.limit(26)),
            aid_test.query_plan(query.order_by(None).limit(COUNT_CAP + 1)))


@pytest.mark.parametrize(("args", "index"), [
    ({}, "ix_help_requests_open_order"),
    ({"category": "food"}, "ix_help_requests_open_category_order (category=?)"),
    ({"area": "AREA"}, "ix_help_requests_open_area_order (area_id=?)"),
    ({"status": "new"}, "ix_help_requests_status_order (status=?)"),
    ({"status": "resolved", "category": "food"}, "ix_help_requests_status_order (status=?)"),
])
@pytest.mark.sqlite
def test_each_filter_of_the_queue_walks_an_index_in_its_order(aid_test, seeded, args, index):
    args = {k: str(seeded.id) if v == "AREA" else v for k, v in args.items()}
    page, count = _plans(aid_test, args)
    assert f"USING INDEX {index}" in page or f"USING COVERING INDEX {index}" in page, page
    assert "TEMP B-TREE" not in page, page
    assert "INDEX" in count and "SCAN help_requests\n" not in count + "\n", count


@pytest.mark.sqlite
def test_language_and_assignee_filters_walk_the_open_queues_index(aid_test, seeded):
    for args in ({"language": "es"}, {"assignee": "none"}, {"urgency": "high"}):
        page, _count = _plans(aid_test, args)
        assert "TEMP B-TREE" not in page and "INDEX" in page, (args, page)


@pytest.mark.parametrize(("args", "index"), [
    ("", "ix_help_requests_open_order"),
    ("?category=food", "ix_help_requests_open_category_order"),
    ("?area=AREA", "ix_help_requests_open_area_order"),
    ("?status=new", "ix_help_requests_status_order"),
])
@pytest.mark.postgresql
def test_on_postgresql_each_page_of_the_queue_walks_its_index(
        aid_test, app_factory, make_user, make_request, areas, args, index):
    small_pages = app_factory(AID_ITEMS_PER_PAGE="3")
    with small_pages.app_context():
        client = small_pages.test_client()
        coordinator = make_user("coordinator")
        aid_test.sign_in(client, coordinator)
        for i in range(30):
            req = make_request(category=("food", "legal")[i % 2])
            if i % 3 == 0:
                service.change_status(req, State.SPAM, coordinator)
        path = "/coordinator/requests" + args.replace("AREA", str(areas[0].id))
        aid_test.assert_pages_walk(client, path, "help_requests", index)
