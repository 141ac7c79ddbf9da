"""Needs and offers: posts, the words they can be found by, responses, flags and matches.

Every free-text value (title, description, contact, responses) is encrypted at rest, like the
rest of Aid's personal data: a board post is public while it is open, but posts waiting for a
coordinator, hidden, fulfilled or expired are not, and a database dump must not show them.
Search goes through `board_words`, one keyed hash per distinct word of a post.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import (
    ColumnElement,
    ForeignKey,
    Index,
    String,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from aid.extensions import Model, in_literals
from aid.security.crypto import Encrypted, Rekey, blind_index_column
from aid.timeutil import utcnow


class Kind(StrEnum):
    NEED = "need"
    OFFER = "offer"


class PostStatus(StrEnum):
    PENDING = "pending"  # waiting for a coordinator (pre-moderation)
    OPEN = "open"  # on the public board
    HIDDEN = "hidden"  # taken off the board by a coordinator
    FULFILLED = "fulfilled"
    EXPIRED = "expired"


CLOSED = (PostStatus.FULFILLED, PostStatus.EXPIRED)
# The closed states as SQL, for the partial index the moderation queue's closed tab walks.
CLOSED_WHERE = "status IN ('fulfilled', 'expired')"
CATEGORIES = ("food", "housing", "transport", "childcare", "money", "goods", "skills", "legal",
              "medical", "other")


class Post(Model):
    __tablename__ = "board_posts"
    __table_args__ = (
        # The public list: open posts, newest first, optionally by category and area.
        Index("ix_board_posts_status_created", "status", "created_at", "id"),
        Index("ix_board_posts_status_category_area", "status", "category", "area_id",
              "created_at"),
        Index("ix_board_posts_status_area", "status", "area_id", "created_at"),
        Index("ix_board_posts_status_expires", "status", "expires_at"),
        # The moderation queue's flagged tab, most flagged first (and its count).
        Index("ix_board_posts_flag_order", "flag_count", "id"),
        # The moderation queue's closed tab, newest first: only closed posts, in its order.
        Index("ix_board_posts_closed_order", "created_at", "id",
              postgresql_where=text(CLOSED_WHERE), sqlite_where=text(CLOSED_WHERE)),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(8))
    category: Mapped[str] = mapped_column(String(16))
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id"))
    title: Mapped[str] = mapped_column(Encrypted("board_posts.title"))
    description: Mapped[str] = mapped_column(Encrypted("board_posts.description"))
    quantity: Mapped[str | None] = mapped_column(Encrypted("board_posts.quantity"))
    # Shown publicly only when the poster typed it; never taken from an account.
    first_name: Mapped[str | None] = mapped_column(Encrypted("board_posts.first_name"))
    contact: Mapped[str | None] = mapped_column(Encrypted("board_posts.contact"))
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True)
    manage_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    status: Mapped[str] = mapped_column(String(12), default=PostStatus.PENDING)
    flag_count: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    closed_at: Mapped[datetime | None]
    purge_at: Mapped[datetime | None] = mapped_column(index=True)

    responses: Mapped[list[Response]] = relationship(
        back_populates="post", cascade="all, delete-orphan", passive_deletes=True,
        order_by="Response.id")

    @property
    def is_open(self) -> bool:
        return self.status == PostStatus.OPEN


def closed_status() -> ColumnElement[bool]:
    """`status IN ('fulfilled', 'expired')`, written so ix_board_posts_closed_order serves it."""
    return in_literals(Post.status, CLOSED)


class PostWord(Model):
    """A keyed hash of one normalised word of a post's title or description (blind index)."""

    __tablename__ = "board_words"

    word: Mapped[str] = blind_index_column("board_word", rekey=Rekey.REBUILD, primary_key=True)
    post_id: Mapped[int] = mapped_column(
        ForeignKey("board_posts.id", ondelete="CASCADE"), primary_key=True, index=True)


class Response(Model):
    """"I can help" / "I need this": a message to the poster, through the app.

    The responder gets their own private link (only its hash is kept). Neither contact is
    shown to the other side until the poster agrees (`shared_at`).
    """

    __tablename__ = "board_responses"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(
        ForeignKey("board_posts.id", ondelete="CASCADE"), index=True)
    message: Mapped[str] = mapped_column(Encrypted("board_responses.message"))
    contact: Mapped[str | None] = mapped_column(Encrypted("board_responses.contact"))
    responder_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    shared_at: Mapped[datetime | None]

    post: Mapped[Post] = relationship(back_populates="responses")


class Flag(Model):
    """Someone thinks a post should not be up. Only a reason code: no free text, no reporter."""

    __tablename__ = "board_flags"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(
        ForeignKey("board_posts.id", ondelete="CASCADE"), index=True)
    reason: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Match(Model):
    """A need and an offer a coordinator linked by hand."""

    __tablename__ = "board_matches"
    __table_args__ = (UniqueConstraint("need_id", "offer_id", name="uq_board_matches_pair"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    need_id: Mapped[int] = mapped_column(ForeignKey("board_posts.id", ondelete="CASCADE"))
    offer_id: Mapped[int] = mapped_column(
        ForeignKey("board_posts.id", ondelete="CASCADE"), index=True)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
