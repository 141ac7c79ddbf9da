"""The hourly planner-statistics job: features name their tables, one job refreshes them."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from aid import statistics, tasks
from aid.extensions import db
from aid.timeutil import utcnow
from aid.voice.models import Outcome, VoiceCall


def test_every_list_table_is_kept_and_the_job_refreshes_them(app):
    kept = statistics.kept()
    for table in ("help_requests", "board_posts", "board_words", "voice_calls", "users",
                  "volunteer_profiles", "vouches"):
        assert table in kept
    db.session.add(VoiceCall(outcome=Outcome.MISSED, started_at=utcnow()))
    db.session.commit()
    statistics.refresh_planner_statistics.call_local()
    if db.engine.dialect.name == "sqlite":  # PostgreSQL's statistics are not a table to read
        analysed = set(db.session.scalars(text("SELECT DISTINCT tbl FROM sqlite_stat1")))
        assert "voice_calls" in analysed
        assert analysed <= set(kept)  # nothing the features did not name

def test_a_worker_starting_gives_the_planner_statistics_at_once(app):
    """A new install or an upgrade does not wait for the hourly run."""
    db.session.add(VoiceCall(outcome=Outcome.MISSED, started_at=utcnow()))
    db.session.commit()
    tasks.run_start_jobs(app)  # the queue runs jobs at once in tests, as a worker would
    if db.engine.dialect.name == "sqlite":
        analysed = set(db.session.scalars(text("SELECT DISTINCT tbl FROM sqlite_stat1")))
        assert "voice_calls" in analysed
    else:  # a table never analysed or vacuumed counts -1 rows
        rows = db.session.scalar(text(
            "SELECT reltuples FROM pg_class WHERE relname = 'voice_calls'"))
        assert rows is not None and rows >= 0


def test_a_table_not_declared_is_refused(app):
    with pytest.raises(ValueError, match="not declared"):
        statistics.refresh("users; DROP TABLE users")
