"""Posts without search words (written before words were indexed) are found after the
backfill; running it again changes nothing."""

from __future__ import annotations

from sqlalchemy import delete, select

from aid.board.models import PostWord
from aid.extensions import db
from aid.security.words import backfill


def test_a_post_without_words_is_found_after_the_backfill(client, make_post):
    old, _ = make_post(title="Winter coats", description="Three warm coats, size M")
    new, _ = make_post(title="Baby formula", description="Two tins, unopened")
    db.session.execute(delete(PostWord).where(PostWord.post_id == old.id))
    db.session.commit()
    assert "Winter coats" not in client.get("/board?q=coat").get_data(as_text=True)

    assert backfill(batch=1)["board_words"] == 1
    assert "Winter coats" in client.get("/board?q=coat").get_data(as_text=True)
    rows = set(db.session.execute(select(PostWord.post_id, PostWord.word)))
    assert {pid for pid, _ in rows} == {old.id, new.id}
    assert backfill()["board_words"] == 0
    assert set(db.session.execute(select(PostWord.post_id, PostWord.word))) == rows
