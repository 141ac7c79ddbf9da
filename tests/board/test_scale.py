"""The public board stays cheap however many posts there are."""

from __future__ import annotations

import re
from contextlib import contextmanager

from sqlalchemy import event, inspect

from aid.board import service
from aid.extensions import db


@contextmanager
def counting_statements():
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def _board_statements(client, path: str) -> int:
    # A first page reads the settings and areas each process keeps (aid.snapshots): a
    # statement the pages after it do not send.
    client.get("/board?warm=1")
    with counting_statements() as statements:
        assert client.get(path).status_code == 200
    return len(statements)


def test_a_board_page_costs_the_same_queries_with_5_or_60_posts(client, make_post, areas):
    for n in range(5):
        make_post(f"Post {n}", first_name="Ana", quantity="2 bags")
    few = _board_statements(client, "/board")
    few_search = _board_statements(client, f"/board?q=post+bag&area={areas['Eastside'].id}")
    for n in range(55):
        make_post(f"Post {n}", area="Riverside" if n % 2 else "Eastside", kind="need")
    many = _board_statements(client, "/board")
    assert many == few and few <= 6
    assert _board_statements(client, f"/board?q=post+bag&area={areas['Eastside'].id}") == (
        few_search)
    assert _board_statements(client, "/board/feed.atom") <= 4


def test_the_migration_creates_the_indexes_the_board_reads_through(app):
    names = {ix["name"] for ix in inspect(db.engine).get_indexes("board_posts")}
    assert {"ix_board_posts_status_created", "ix_board_posts_status_category_area",
            "ix_board_posts_status_area", "ix_board_posts_status_expires"} <= names
    assert "pk_board_words" in (inspect(db.engine).get_pk_constraint("board_words")["name"] or "")
    if db.engine.dialect.name == "sqlite":
        sql = service.public_query(category="food", area_id=1).compile(
            db.engine, compile_kwargs={"literal_binds": True})
        plan = " ".join(str(row[-1]) for row in db.session.execute(
            db.text(f"EXPLAIN QUERY PLAN {sql}")))
        assert "ix_board_posts_status_category_area" in plan, plan


def test_the_list_counts_and_pages_only_up_to_a_cap(client, make_post, monkeypatch):
    monkeypatch.setattr(service, "LIST_CAP", 30)
    for n in range(40):
        make_post(f"Offer number {n:02d}", age_minutes=100 - n)
    first = client.get("/board").get_data(as_text=True)
    assert "More than 30 open posts" in first and "Page 1 of 2" in first
    deep = client.get("/board?page=50").get_data(as_text=True)
    assert "Page 2 of 2" in deep and "Offer number 14" in deep  # the 26th to 30th newest
    assert "Offer number 09" not in deep


def test_a_search_walks_its_least_common_words_entries_newest_first(aid_test, client,
                                                                       make_post):
    """However common its words, a search reads the posting list of the least common one in
    the order the page shows and checks the others per post: never every open post, never a
    sort of all matches."""
    for n in range(12):
        make_post(f"Warm coat {n}", description="A winter coat for a child",
                  age_minutes=100 - n)
    make_post("Winter boots", description="Boots for the winter")
    html = client.get("/board?q=winter+coat").get_data(as_text=True)
    shown = [int(n) for n in re.findall(r"Warm coat (\d+)", html)]
    assert shown == sorted(shown, reverse=True) and len(shown) == 12  # newest first, all
    assert "Winter boots" not in html
    plans = aid_test.page_plans(client, "/board?q=winter+coat&n=1", "board_posts")
    assert plans
    for plan in plans:
        assert "TEMP B-TREE" not in plan and "Sort" not in plan, plan
        assert "SCAN board_posts" not in plan and "Seq Scan" not in plan, plan
