"""Coordinators' side of the board: the queue, flags, hide/approve/remove, expiry and purging."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Select, delete, select, update

from aid.board.models import Flag, Post, PostStatus, PostWord, closed_status
from aid.board.service import _close, delete_post
from aid.extensions import db
from aid.pagination import Page, bounded_count, keyset_paginate, paginate
from aid.security import audit
from aid.statistics import keep_statistics
from aid.timeutil import utcnow

FLAG_REASONS = ("spam", "unsafe", "personal", "scam", "other")
VIEWS = ("pending", "flagged", "open", "hidden", "closed")


def queue_query(view: str) -> Select[Any]:
    """The moderation lists: waiting posts oldest first (fair), the rest newest first."""
    query = select(Post)
    if view == "pending":
        return query.where(Post.status == PostStatus.PENDING).order_by(Post.created_at, Post.id)
    if view == "flagged":
        query = query.where(Post.flag_count > 0).order_by(Post.flag_count.desc(), Post.id.desc())
        return query
    if view == "closed":
        query = query.where(closed_status())
    elif view in (PostStatus.OPEN, PostStatus.HIDDEN):
        query = query.where(Post.status == view)
    return query.order_by(Post.created_at.desc(), Post.id.desc())


def queue_page(view: str) -> Page:
    """One page of a moderation list. The waiting posts, oldest first, are numbered pages
    (a queue that is worked through stays short); the others, newest (or most flagged)
    first, follow keyset links, so a deep page walks the index from its key."""
    query = queue_query(view)
    if view == "pending":
        return paginate(query)
    keys = (Post.flag_count, Post.id) if view == "flagged" else (Post.created_at, Post.id)
    return keyset_paginate(query, keys)


def counts() -> dict[str, str]:
    """Posts in each tab, each counted no further than COUNT_CAP ("1000+"): a few index
    entries read per tab, not every post the board ever had."""
    found = {}
    for view, where in (("pending", Post.status == PostStatus.PENDING),
                        ("flagged", Post.flag_count > 0),
                        ("open", Post.status == PostStatus.OPEN),
                        ("hidden", Post.status == PostStatus.HIDDEN)):
        n, more = bounded_count(select(Post.id).where(where))
        found[view] = f"{n}+" if more else str(n)
    return found


def approve(post: Post) -> bool:
    if post.status not in (PostStatus.PENDING, PostStatus.HIDDEN):
        return False
    if post.expires_at <= utcnow():
        return False
    post.status = PostStatus.OPEN
    audit.record("board.post_approved", "board_post", post.id)
    db.session.commit()
    return True


def hide(post: Post) -> bool:
    if post.status not in (PostStatus.PENDING, PostStatus.OPEN):
        return False
    post.status = PostStatus.HIDDEN
    audit.record("board.post_hidden", "board_post", post.id)
    db.session.commit()
    return True


def clear_flags(post: Post) -> None:
    db.session.execute(delete(Flag).where(Flag.post_id == post.id))
    post.flag_count = 0
    audit.record("board.flags_cleared", "board_post", post.id)
    db.session.commit()


def remove(post: Post) -> None:
    delete_post(post, action="board.post_removed")


def flag(post: Post, reason: str) -> None:
    """Anyone may flag an open post; the count puts it on the coordinators' flagged list."""
    db.session.add(Flag(post_id=post.id, reason=reason if reason in FLAG_REASONS else "other"))
    # One UPDATE, so two people flagging at once both count.
    db.session.execute(update(Post).where(Post.id == post.id)
                       .values(flag_count=Post.flag_count + 1))
    audit.record("board.post_flagged", "board_post", post.id, reason)
    db.session.commit()


def flag_reasons(post: Post) -> dict[str, int]:
    from sqlalchemy import func

    rows = db.session.execute(select(Flag.reason, func.count()).where(Flag.post_id == post.id)
                              .group_by(Flag.reason)).all()
    return {reason: n for reason, n in rows}


# -- periodic: expiry and retention -----------------------------------------------------

def close_expired(now: datetime | None = None) -> int:
    """Posts past their expiry leave the board (and get a purge date)."""
    now = now or utcnow()
    live = (PostStatus.PENDING, PostStatus.OPEN, PostStatus.HIDDEN)
    posts = list(db.session.scalars(
        select(Post).where(Post.status.in_(live), Post.expires_at <= now).limit(1000)))
    for post in posts:
        _close(post, PostStatus.EXPIRED)
    if posts:
        audit.record("board.posts_expired", "board_post", None, f"{len(posts)} posts")
    db.session.commit()
    return len(posts)


def purgeable(now: datetime | None = None, closed_before: datetime | None = None) -> Any:
    """Closed posts past their purge date, or closed before `closed_before` (the retention
    period set by an admin, which may have been shortened since the post closed)."""
    now = now or utcnow()
    due = Post.purge_at.is_not(None) & (Post.purge_at <= now)
    if closed_before is not None:
        due = due | (Post.closed_at.is_not(None) & (Post.closed_at <= closed_before))
    return due


def purge(now: datetime | None = None, closed_before: datetime | None = None) -> int:
    """Delete closed posts past their purge date, with everything attached to them."""
    ids = list(db.session.scalars(
        select(Post.id).where(purgeable(now, closed_before)).limit(1000)))
    if not ids:
        return 0
    db.session.execute(delete(PostWord).where(PostWord.post_id.in_(ids)))
    for post in db.session.scalars(select(Post).where(Post.id.in_(ids))):
        db.session.delete(post)  # the ORM cascade also clears responses where FKs are off
    audit.record("board.posts_purged", "board_post", None, f"{len(ids)} posts")
    db.session.commit()
    return len(ids)


# Without statistics SQLite would walk all open posts to find the few with a rare word.
keep_statistics("board_posts", "board_words")
