"""The admin's account list at any size: Older links walk it newest first by keyset, every
account exactly once, each page an index walk that reads no e-mail or TOTP secret."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update

from aid.auth.models import Role, User
from aid.extensions import db
from aid.timeutil import utcnow

ITEM = r'href="/admin/users/(\d+)"'


def _accounts(make_user, n: int) -> list[User]:
    """`n` accounts on three timestamps, so that many share one: the id breaks the tie."""
    people = [make_user(Role.VOLUNTEER if i % 2 else Role.COORDINATOR) for i in range(n)]
    start = utcnow() - timedelta(days=3)
    for i, person in enumerate(people):
        db.session.execute(update(User).where(User.id == person.id)
                           .values(created_at=start + timedelta(days=i % 3)))
    db.session.commit()
    return people


def _expected(role: str | None = None) -> list[str]:
    users = db.session.scalars(db.select(User)).all()
    return [str(u.id) for u in sorted(users, key=lambda u: (u.created_at, u.id), reverse=True)
            if role is None or u.role == role]


def test_older_links_show_every_account_once_newest_first(aid_test, paged_client, make_user):
    client = paged_client(Role.ADMIN)
    _accounts(make_user, 10)
    db.session.expire_all()
    pages = aid_test.walk_pages(client, "/admin/users", ITEM)
    assert [len(p) for p in pages] == [3, 3, 3, 2]
    assert [i for p in pages for i in p] == _expected()
    volunteers = aid_test.walk_pages(client, "/admin/users?role=volunteer", ITEM)
    assert [i for p in volunteers for i in p] == _expected(Role.VOLUNTEER)
    assert len(volunteers) == 2


def test_each_page_of_the_account_list_walks_its_index(aid_test, paged_client, make_user):
    client = paged_client(Role.ADMIN)
    _accounts(make_user, 8)
    aid_test.assert_pages_walk(client, "/admin/users", "users", "ix_users_created_order")
    aid_test.assert_pages_walk(client, "/admin/users?role=volunteer", "users",
                               "ix_users_role_created_order")


def test_the_account_list_reads_no_email_or_secret(aid_test, client, make_user):
    aid_test.sign_in(client, make_user(Role.ADMIN))
    make_user(Role.VOLUNTEER)
    seen = aid_test.statements_sent(lambda: client.get("/admin/users"))
    listed = [s for s, _p in seen if "ORDER BY users.created_at DESC" in s]
    assert len(listed) == 1, [s for s, _p in seen]
    assert "users.email" not in listed[0] and "totp_secret" not in listed[0]


def test_the_account_list_sends_as_many_statements_for_a_full_page_as_for_one(
        aid_test, client, make_user):
    aid_test.sign_in(client, make_user(Role.ADMIN))
    one = aid_test.count_queries(client, "/admin/users")
    for _ in range(30):
        make_user(Role.VOLUNTEER)
    assert aid_test.count_queries(client, "/admin/users") == one
