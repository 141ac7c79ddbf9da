"""The call log at any size: Older links walk it newest first by keyset, every call exactly
once (all of them or one outcome), each page an index walk, and the week's counts read from
the index over the week's calls only."""

from __future__ import annotations

from datetime import timedelta

import pytest

from aid import statistics
from aid.extensions import db
from aid.timeutil import utcnow
from aid.voice import service
from aid.voice.models import Outcome, VoiceCall

# Each call's length is its number in the test: the list shows it as "N s".
ITEM = r'data-label="Length">(\d+) s<'


@pytest.fixture
def coordinator_client(paged_client):
    return paged_client("coordinator")


def _calls(n: int) -> list[VoiceCall]:
    """`n` calls on three start times, so that many share one: the id breaks the tie."""
    now = utcnow()
    calls = [VoiceCall(outcome=(Outcome.MISSED, Outcome.ANSWERED)[i % 2], duration_seconds=i,
                       started_at=now - timedelta(days=i % 3)) for i in range(n)]
    db.session.add_all(calls)
    db.session.commit()
    return calls


def _expected(calls: list[VoiceCall], outcome: str | None = None) -> list[str]:
    return [str(c.duration_seconds) for c in
            sorted(calls, key=lambda c: (c.started_at, c.id), reverse=True)
            if outcome is None or c.outcome == outcome]


def test_older_links_show_every_call_once_newest_first(aid_test, coordinator_client):
    calls = _calls(11)
    pages = aid_test.walk_pages(coordinator_client, "/coordinator/calls", ITEM)
    assert [len(p) for p in pages] == [3, 3, 3, 2]
    assert [i for p in pages for i in p] == _expected(calls)
    missed = aid_test.walk_pages(coordinator_client, "/coordinator/calls?outcome=missed", ITEM)
    assert [i for p in missed for i in p] == _expected(calls, Outcome.MISSED)


def test_each_page_of_the_call_log_walks_its_index(aid_test, coordinator_client):
    _calls(8)
    for path, index in (("/coordinator/calls", "ix_voice_calls_started_order"),
                        ("/coordinator/calls?outcome=missed", "ix_voice_calls_outcome_order")):
        aid_test.assert_pages_walk(coordinator_client, path, "voice_calls", index)


def test_the_weeks_counts_read_only_the_weeks_index_entries(aid_test, app):
    # Two months of calls, one an hour; the week holds about a ninth of them.
    now = utcnow()
    db.session.add_all(VoiceCall(outcome=(Outcome.MISSED, Outcome.ANSWERED, Outcome.BLOCKED)[
        i % 3], started_at=now - timedelta(hours=i)) for i in range(60 * 24))
    db.session.commit()
    statistics.refresh()  # the hourly job
    since = now - timedelta(days=7) + timedelta(minutes=30)  # 168 hours: 56 of each
    assert service.counts(since) == {Outcome.MISSED: 56, Outcome.ANSWERED: 56,
                                     Outcome.BLOCKED: 56}
    statement, parameters = aid_test.statements_sent(lambda: service.counts(since))[-1]
    plan = aid_test.explain(statement, parameters)
    if db.engine.dialect.name == "sqlite":
        # One range of the index a outcome (a skip-scan), from the index alone.
        assert "SEARCH voice_calls USING COVERING INDEX" in plan, plan
        assert "started_at>?" in plan, plan
    else:
        assert "Index Only Scan" in plan or "Index Scan" in plan, plan


def test_the_call_log_sends_as_many_statements_for_a_full_page_as_for_one_call(
        aid_test, client, make_user):
    aid_test.sign_in(client, make_user("coordinator"))
    _calls(1)
    one = aid_test.count_queries(client, "/coordinator/calls")
    _calls(30)
    assert aid_test.count_queries(client, "/coordinator/calls") == one
