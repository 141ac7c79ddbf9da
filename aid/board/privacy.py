"""What the board keeps about people, registered with privacy and key rotation: closed posts
are purged, an account's posts and answers are exported and deleted with it, an area's posts
go with a wipe of that area, and the search words are re-made under a new index key."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, select

from aid.auth.models import User
from aid.board import moderation
from aid.board.models import Post, PostWord, Response
from aid.board.service import index_words
from aid.extensions import db
from aid.privacy import registry
from aid.privacy.owndata import when
from aid.privacy.service import count
from aid.security import words
from aid.timeutil import utcnow

POSTS = ("board_posts", "board_words", "board_responses", "board_flags", "board_matches")


@registry.on_purge("board_posts", tables=POSTS)
def purge_closed_posts(cutoff: datetime, dry_run: bool = False) -> int:
    """Closed board posts (the board's own purge, with the admin's period)."""
    if dry_run:
        return count(select(Post.id).where(moderation.purgeable(utcnow(), cutoff)))
    total = 0
    while n := moderation.purge(utcnow(), cutoff):
        total += n
    return total


@registry.on_export(registry.ACCOUNT, tables=("board_posts", "board_responses"))
def export_posts(user: User) -> dict[str, Any]:
    return {
        "board_posts": [
            {"kind": p.kind, "title": p.title, "description": p.description,
             "status": p.status, "created_at": when(p.created_at)}
            for p in db.session.scalars(select(Post).where(Post.author_id == user.id))],
        "board_responses": [
            {"post": r.post_id, "message": r.message, "contact": r.contact}
            for r in db.session.scalars(select(Response).where(Response.responder_id == user.id))],
    }


@registry.on_forget(registry.ACCOUNT, tables=POSTS, order=20)
def delete_posts(user: User, _reason: str) -> None:
    """What they wrote on the board goes with the account (responses, flags, matches and
    search words of their posts by cascade)."""
    for post in db.session.scalars(select(Post).where(Post.author_id == user.id)):
        db.session.delete(post)
    db.session.execute(delete(Response).where(Response.responder_id == user.id))


@registry.on_area_wipe(tables=POSTS)
def wipe_area(area_id: int) -> dict[str, int]:
    posts = list(db.session.scalars(select(Post).where(Post.area_id == area_id)))
    db.session.execute(delete(PostWord).where(PostWord.post_id.in_([p.id for p in posts])))
    for post in posts:
        db.session.delete(post)  # responses, flags, matches go with it
    return {"board_posts": len(posts)}


words.on_backfill("board_words", Post, PostWord.post_id, index_words)
