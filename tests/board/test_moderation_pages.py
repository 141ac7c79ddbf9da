"""The moderation tabs at any size: the open, hidden and flagged lists follow Older links by
keyset, every post exactly once in the tab's order; each page walks an index; the tab counts
stop at the cap and say so."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import update

from aid import statistics
from aid.board import moderation
from aid.board.models import Post, PostStatus
from aid.extensions import db
from aid.pagination import COUNT_CAP

ITEM = r'href="/coordinator/board/(\d+)"'


@pytest.fixture
def coordinator_client(paged_client):
    return paged_client("coordinator")


def _posts(make_post, n: int) -> list[Post]:
    """`n` open posts on three timestamps, so that many share one: the id breaks the tie;
    every other one flagged, 1 to 3 times."""
    posts = [make_post(f"Post {i}")[0] for i in range(n)]
    for i, post in enumerate(posts):
        db.session.execute(update(Post).where(Post.id == post.id).values(
            created_at=post.created_at - timedelta(hours=i % 3),
            flag_count=(i % 3 + 1) if i % 2 else 0))
    db.session.commit()
    db.session.expire_all()
    return posts


def test_older_links_show_every_post_of_a_tab_once_in_its_order(
        aid_test, coordinator_client, make_post):
    _posts(make_post, 10)
    posts = db.session.scalars(db.select(Post)).all()
    newest = [str(p.id) for p in sorted(posts, key=lambda p: (p.created_at, p.id), reverse=True)]
    flagged = [str(p.id) for p in sorted(posts, key=lambda p: (p.flag_count, p.id), reverse=True)
               if p.flag_count]
    for view, expected in (("open", newest), ("flagged", flagged)):
        pages = aid_test.walk_pages(coordinator_client, f"/coordinator/board?view={view}", ITEM)
        assert [i for p in pages for i in p] == expected, view
        assert all(len(p) == 3 for p in pages[:-1]), view


def test_each_page_of_a_tab_walks_an_index(aid_test, coordinator_client, make_post):
    _posts(make_post, 8)
    for view, index in (("open", "ix_board_posts_status_created"),
                        ("flagged", "ix_board_posts_flag_order")):
        aid_test.assert_pages_walk(coordinator_client, f"/coordinator/board?view={view}",
                                   "board_posts", index)


def test_tab_counts_are_exact_below_the_cap_and_say_more_above_it(app, make_post):
    _posts(make_post, 4)
    make_post("Waiting", status=PostStatus.PENDING)
    assert moderation.counts() == {"pending": "1", "flagged": "2", "open": "4", "hidden": "0"}
    # Past the cap: a bulk copy of one post, as years of a busy board would leave.
    first = db.session.scalars(db.select(Post)).first()
    assert first is not None
    columns = [c.name for c in Post.__table__.columns if c.name not in {"id",
                                                                        "manage_token_hash"}]
    copy = db.text(f"INSERT INTO board_posts ({', '.join(columns)}) "  # noqa: S608 (names)
                   f"SELECT {', '.join(columns)} FROM board_posts WHERE id = :id")
    for _ in range(COUNT_CAP):
        db.session.execute(copy, {"id": first.id})
    db.session.commit()
    assert moderation.counts()["open"] == f"{COUNT_CAP}+"


def test_a_tab_sends_as_many_statements_for_a_full_page_as_for_one_post(
        aid_test, client, make_user, make_post):
    aid_test.sign_in(client, make_user("coordinator"))
    make_post("The first")
    one = aid_test.count_queries(client, "/coordinator/board?view=open")
    for i in range(30):
        make_post(f"Post {i}")
    assert aid_test.count_queries(client, "/coordinator/board?view=open") == one


def test_the_closed_tab_walks_its_own_index_and_shows_every_closed_post_once(
        aid_test, coordinator_client, make_post):
    posts = _posts(make_post, 9)
    for i, post in enumerate(posts):
        post.status = (PostStatus.FULFILLED, PostStatus.EXPIRED, PostStatus.OPEN)[i % 3]
    db.session.commit()
    statistics.refresh()  # the hourly job: without it SQLite would sort
    closed = [str(p.id) for p in sorted(posts, key=lambda p: (p.created_at, p.id), reverse=True)
              if p.status != PostStatus.OPEN]
    path = "/coordinator/board?view=closed"
    pages = aid_test.walk_pages(coordinator_client, path, ITEM)
    assert [i for p in pages for i in p] == closed
    aid_test.assert_pages_walk(coordinator_client, path, "board_posts",
                               "ix_board_posts_closed_order")
