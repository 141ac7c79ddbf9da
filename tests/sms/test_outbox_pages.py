"""The admin outbox at any size: Older links walk it newest first by keyset, every text
exactly once (all of them or one status), each page an index walk, and the statements a page
sends do not grow with the texts on it."""

from __future__ import annotations

import pytest

from aid.extensions import db
from aid.phones import phone_index
from aid.sms.models import MessageState, OutboundMessage

ITEM = r'data-label="Text">Text (\d+)<br>'


@pytest.fixture
def admin_client(paged_client):
    return paged_client("admin")


def _texts(n: int, start: int = 0) -> list[OutboundMessage]:
    texts = [OutboundMessage(to_number="+12025550123", to_index=phone_index("+12025550123"),
                             body=f"Text {i}", purpose="reminder",
                             status=(MessageState.FAILED, MessageState.DELIVERED)[i % 2])
             for i in range(start, start + n)]
    db.session.add_all(texts)
    db.session.commit()
    return texts


def _expected(texts: list[OutboundMessage], status: str | None = None) -> list[str]:
    return [m.body.split()[1] for m in sorted(texts, key=lambda m: m.id, reverse=True)
            if status is None or m.status == status]


def test_older_links_show_every_text_once_newest_first(aid_test, admin_client):
    texts = _texts(10)
    pages = aid_test.walk_pages(admin_client, "/admin/outbox", ITEM)
    assert [len(p) for p in pages] == [3, 3, 3, 1]
    assert [i for p in pages for i in p] == _expected(texts)
    failed = aid_test.walk_pages(admin_client, "/admin/outbox?status=failed", ITEM)
    assert [i for p in failed for i in p] == _expected(texts, MessageState.FAILED)


def test_each_page_of_the_outbox_by_status_walks_its_index(aid_test, admin_client):
    _texts(10)
    path = "/admin/outbox?status=failed"
    aid_test.assert_pages_walk(admin_client, path, "sms_outbound", "ix_sms_outbound_status_order")


def test_the_outbox_sends_as_many_statements_for_a_full_page_as_for_one_text(
        aid_test, client, make_user):
    aid_test.sign_in(client, make_user("admin"))
    _texts(1)
    one = aid_test.count_queries(client, "/admin/outbox")
    _texts(30, start=1)
    assert aid_test.count_queries(client, "/admin/outbox") == one
