"""The board's rules: posting, the private manage link, the public list, responses, matching.

Coordinator actions, expiry and purging live in `aid.board.moderation`.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from flask import current_app
from sqlalchemy import Row, Select, bindparam, delete, func, select
from sqlalchemy.orm import aliased

from aid.auth.models import User
from aid.board import notices
from aid.board.models import Kind, Match, Post, PostStatus, PostWord, Response
from aid.board.words import MAX_SEARCH_TERMS, WORD_CONTEXT, clean, normalise_words, word_hashes
from aid.errors import Invalid
from aid.extensions import db
from aid.pagination import page_number
from aid.privacy.retention import retention_days
from aid.security import audit, links
from aid.security.access import Level
from aid.security.crypto import blind_index, sealed
from aid.snapshots import kept
from aid.timeutil import utcnow

SUGGESTION_LIMIT = 10
FEED_LIMIT = 50
# The public list counts and pages through at most this many matches, so a page costs the same
# with 1,000 or 1,000,000 posts; past it, people narrow with filters or words.
LIST_CAP = 1000
RARE_WORD = 2000  # search words are told apart by how common they are up to this many posts


@dataclass
class PostInput:
    """What a poster (or a coordinator fixing a post) typed, before cleaning."""

    category: str
    area_id: int
    title: str
    description: str
    quantity: str = ""
    first_name: str = ""
    contact: str | None = None  # None: leave the stored contact as it is


def posts_from_account(user: Any) -> bool:
    """Vetted volunteers and staff post from their account; everyone else gets a link."""
    return bool(user is not None and user.is_authenticated and user.level >= Level.VETTED)


def _apply(post: Post, data: PostInput) -> None:
    post.category = data.category
    post.area_id = data.area_id
    post.title = clean(data.title)
    post.description = clean(data.description, multiline=True)
    post.quantity = clean(data.quantity) or None
    post.first_name = clean(data.first_name) or None
    if data.contact is not None:
        post.contact = clean(data.contact) or None
    post.updated_at = utcnow()


def index_words(post: Post) -> int:
    """The post's search words, as keyed hashes (re-made on edit and on key rotation);
    returns how many."""
    db.session.execute(delete(PostWord).where(PostWord.post_id == post.id))
    hashes = word_hashes(f"{post.title}\n{post.description}\n{post.quantity or ''}")
    db.session.add_all(PostWord(word=h, post_id=post.id) for h in hashes)
    return len(hashes)


def create_post(kind: Kind | str, data: PostInput, expiry_days: int | None = None,
                author: User | None = None) -> tuple[Post, str | None]:
    """A new post; returns it and, for a poster without an account, their manage token."""
    days = expiry_days or current_app.config["BOARD_EXPIRY_DAYS"]
    now = utcnow()
    token, digest = (None, None) if author else links.issue()
    premoderate = author is None and current_app.config["BOARD_PREMODERATION"]
    post = Post(kind=Kind(kind).value, author_id=author.id if author else None,
                manage_token_hash=digest,
                status=PostStatus.PENDING if premoderate else PostStatus.OPEN,
                created_at=now, expires_at=now + timedelta(days=days), flag_count=0)
    _apply(post, data)
    db.session.add(post)
    db.session.flush()
    index_words(post)
    audit.record("board.post_created", "board_post", post.id,
                 f"{post.kind} {post.category} {post.status}")
    db.session.commit()
    notices.post_created(post)
    return post, token


def send_private_link(post: Post, link: str, locale: str) -> str:
    """The poster asked for their private link at the contact they gave (see notices)."""
    channel = notices.send_private_link(post, link, locale)
    audit.record("board.link_sent", "board_post", post.id, channel)
    db.session.commit()
    return channel


def post_for_token(token: str) -> Post | None:
    digest = links.digest(token)
    if digest is None:
        return None
    return db.session.scalar(select(Post).where(Post.manage_token_hash == digest))


def post_for_author(post_id: int, user: Any) -> Post | None:
    """Need-to-know: an account manages only its own posts."""
    post = db.session.get(Post, post_id)
    if post is None or not user.is_authenticated or post.author_id != user.id:
        return None
    return post


def my_posts(user: User) -> list[Post]:
    return list(db.session.scalars(
        select(Post).where(Post.author_id == user.id).order_by(Post.created_at.desc()).limit(100)))


def edit_post(post: Post, data: PostInput, by_coordinator: bool = False) -> None:
    _apply(post, data)
    index_words(post)
    back_to_queue = (not by_coordinator and post.author_id is None and post.is_open
                     and current_app.config["BOARD_PREMODERATION"])
    if back_to_queue:
        post.status = PostStatus.PENDING  # an approved post must not turn into something else
    audit.record("board.post_edited", "board_post", post.id,
                 "by coordinator" if by_coordinator else "by poster")
    db.session.commit()


def _close(post: Post, status: PostStatus) -> None:
    now = utcnow()
    post.status = status
    post.closed_at = now
    post.purge_at = now + timedelta(days=retention_days("board_posts"))


def mark_fulfilled(post: Post) -> None:
    if post.status in (PostStatus.FULFILLED, PostStatus.EXPIRED):
        return
    _close(post, PostStatus.FULFILLED)
    audit.record("board.post_fulfilled", "board_post", post.id)
    db.session.commit()


def delete_post(post: Post, action: str = "board.post_deleted") -> None:
    """Gone for good, with its responses, flags and matches (the audit row keeps only the id)."""
    post_id = post.id
    db.session.execute(delete(PostWord).where(PostWord.post_id == post_id))
    db.session.delete(post)
    audit.record(action, "board_post", post_id)
    db.session.commit()


# -- the public board ---------------------------------------------------------------------

def search_terms(q: str) -> list[str]:
    return normalise_words(clean(q))[:MAX_SEARCH_TERMS]


@dataclass(frozen=True)
class Filters:
    """What a visitor narrowed the public list by: each given filter and each search word
    narrows through an index."""

    kind: str = ""
    category: str = ""
    area_id: int | None = None
    q: str = ""

    @functools.cached_property
    def terms(self) -> list[str]:
        return search_terms(self.q)


@dataclass(frozen=True)
class _Shape:
    """Which filters a statement has; the values are bound when it runs. Statements are
    built once per shape (`_open_posts`): building one and finding its compiled form cost
    more than running it."""

    kind: bool = False
    category: bool = False
    area: bool = False
    words: int = 0  # search words: the first drives, the others are checked post by post


@functools.lru_cache(maxsize=128)
def _open_posts(shape: _Shape) -> Select[Any]:
    """Open posts, newest first. A search walks the posting list of its least common word
    (`word0`), newest post first, and checks the other words and the filters on each post
    it meets: it reads about as many entries as it takes to fill a page, whether the word is
    in 40 posts or in 40,000, and never every open post. Newest first there is by id, the
    order posts are written in, which the words index holds; the list orders by date."""
    query = select(Post)
    order: tuple[Any, ...] = (Post.created_at.desc(), Post.id.desc())
    if shape.words:
        driver = aliased(PostWord)
        query = query.join(driver, driver.post_id == Post.id).where(
            driver.word == bindparam("word0"))
        order = (driver.post_id.desc(),)
    query = query.where(Post.status == PostStatus.OPEN)
    if shape.kind:
        query = query.where(Post.kind == bindparam("kind"))
    if shape.category:
        query = query.where(Post.category == bindparam("category"))
    if shape.area:
        query = query.where(Post.area_id == bindparam("area_id"))
    for n in range(1, shape.words):
        query = query.where(select(PostWord.post_id).where(
            PostWord.post_id == Post.id, PostWord.word == bindparam(f"word{n}")).exists())
    return query.order_by(*order)


@functools.lru_cache(maxsize=16)
def _word_counts(words: int) -> Select[Any]:
    """How many posts hold each of `words` words, counted no further than `cap`: one
    statement, one capped count a column."""
    return select(*(
        select(func.count()).select_from(
            select(PostWord.post_id).where(PostWord.word == bindparam(f"word{n}"))
            .limit(bindparam("cap")).subquery()).scalar_subquery()
        for n in range(words)))


def _shape_of(filters: Filters) -> tuple[_Shape, dict[str, Any]]:
    """The statement's shape and its values; search words in order of how common they are
    (counted up to RARE_WORD + 1), the least common first."""
    values: dict[str, Any] = {}
    kind = filters.kind in (Kind.NEED, Kind.OFFER)
    if kind:
        values["kind"] = filters.kind
    if filters.category:
        values["category"] = filters.category
    if filters.area_id:
        values["area_id"] = filters.area_id
    hashes = [h for t in filters.terms if (h := blind_index(t, WORD_CONTEXT))]
    if len(hashes) > 1:
        counts = db.session.execute(_word_counts(len(hashes)), {
            "cap": RARE_WORD + 1, **{f"word{n}": h for n, h in enumerate(hashes)}}).one()
        hashes = [h for _n, h in sorted(zip((n or 0 for n in counts), hashes, strict=True))]
    values.update({f"word{n}": h for n, h in enumerate(hashes)})
    return _Shape(kind, bool(filters.category), bool(filters.area_id), len(hashes)), values


def public_query(kind: str = "", category: str = "", area_id: int | None = None,
                 q: str = "") -> Select[Any]:
    """Open posts, newest first, narrowed by the filters (their values bound in)."""
    shape, values = _shape_of(Filters(kind, category, area_id, q))
    return _open_posts(shape).params(values)


# What the public list reads of each post: what its card shows, the texts still sealed (the
# cards are kept by these values and only a card not kept yet is decrypted, `cards`).
SEALED = (Post.title, Post.description, Post.quantity, Post.first_name)
LIST_COLUMNS = (Post.id, Post.kind, Post.category, Post.area_id, Post.created_at,
                *(sealed(column) for column in SEALED))


@dataclass
class ListPage:
    """A page of the public list. `total` is None for a word search: counting every match of
    a common word would cost as much as the search itself, so it has only newer/older."""

    items: list[Row[Any]]  # of LIST_COLUMNS
    number: int
    total: int | None
    more: bool  # more matches than counted (LIST_CAP), or a next page of a search
    per_page: int

    @property
    def has_prev(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        if self.total is None:
            return self.more
        return self.number * self.per_page < self.total

    @property
    def pages(self) -> int:
        return max(1, -(-(self.total or 0) // self.per_page))


def public_page(filters: Filters) -> ListPage:
    """A page of the public list, the count and the offset both capped at LIST_CAP rows; a
    word search is not counted (ListPage)."""
    per_page = current_app.config["ITEMS_PER_PAGE"]
    shape, values = _shape_of(filters)
    total: int | None = None
    last = LIST_CAP // per_page
    counted = not filters.terms
    if counted:
        found = _open_count(shape, tuple(sorted(values.items())), LIST_CAP + 1)
        total = min(found, LIST_CAP)
        last = max(1, -(-total // per_page))
    number = min(page_number(), last)
    offset = (number - 1) * per_page
    wanted = min(per_page, LIST_CAP - offset)
    items = list(db.session.execute(_listed(shape), {**values, "limit": wanted + 1,
                                                     "offset": offset}))
    more = (found > LIST_CAP) if counted else (len(items) > wanted and offset + wanted < LIST_CAP)
    return ListPage(items=items[:wanted], number=number, total=total, more=more,
                    per_page=per_page)


# A visitor's count of open posts is as fresh as the public board's copies (a few seconds in
# another process, at once in this one): counting up to the cap reads that many entries.
@kept("board.open_count", "board_posts", expiry="PAGE_CACHE_SECONDS")
def _open_count(shape: _Shape, values: tuple[tuple[str, Any], ...], cap: int) -> int:
    return db.session.scalar(_counted(shape), {**dict(values), "cap": cap}) or 0


@functools.lru_cache(maxsize=128)
def _counted(shape: _Shape) -> Select[Any]:
    capped = _open_posts(shape).order_by(None).with_only_columns(Post.id).limit(
        bindparam("cap")).subquery()
    return select(func.count()).select_from(capped)


@functools.lru_cache(maxsize=128)
def _listed(shape: _Shape) -> Select[Any]:
    return _open_posts(shape).with_only_columns(*LIST_COLUMNS).limit(
        bindparam("limit")).offset(bindparam("offset"))


def public_post(post_id: int) -> Post | None:
    post = db.session.get(Post, post_id)
    return post if post is not None and post.is_open else None


def feed_posts(limit: int = FEED_LIMIT) -> list[Post]:
    return list(db.session.scalars(public_query().limit(limit)))


# -- responses ------------------------------------------------------------------------------

def respond(post: Post, message: str, contact: str = "",
            responder: User | None = None) -> tuple[Response, str]:
    """A message to the poster; returns it and the responder's private link token."""
    token, digest = links.issue()
    response = Response(post_id=post.id, message=clean(message, multiline=True),
                        contact=clean(contact) or None, token_hash=digest,
                        responder_id=responder.id if responder else None)
    db.session.add(response)
    db.session.flush()
    audit.record("board.response_created", "board_post", post.id, f"response {response.id}")
    db.session.commit()
    # The poster hears that there is an answer (by their account, or by the contact they
    # gave when it is a phone or an email); its words and contact wait on their page.
    notices.answered(post, response=response)
    return response, token


def response_for_token(token: str) -> Response | None:
    digest = links.digest(token)
    if digest is None:
        return None
    return db.session.scalar(select(Response).where(Response.token_hash == digest))


def share_contacts(post: Post, response_id: int) -> Response | None:
    """The poster agrees: each side now sees the other's contact (poster on the manage page,
    responder on their own private link)."""
    response = db.session.get(Response, response_id)
    if response is None or response.post_id != post.id:
        return None
    if response.shared_at is None:
        response.shared_at = utcnow()
        audit.record("board.contacts_shared", "board_post", post.id, f"response {response.id}")
        db.session.commit()
    return response


def delete_response(response: Response) -> None:
    post_id = response.post_id
    db.session.delete(response)
    audit.record("board.response_withdrawn", "board_post", post_id)
    db.session.commit()


# -- matching -------------------------------------------------------------------------------

def suggestions(post: Post, limit: int = SUGGESTION_LIMIT) -> list[Post]:
    """Open posts of the other kind in the same category and area, newest first."""
    other = Kind.OFFER if post.kind == Kind.NEED else Kind.NEED
    return list(db.session.scalars(
        select(Post).where(Post.status == PostStatus.OPEN, Post.kind == other,
                           Post.category == post.category, Post.area_id == post.area_id,
                           Post.id != post.id)
        .order_by(Post.created_at.desc(), Post.id.desc()).limit(limit)))


def matched_posts(post: Post) -> list[Post]:
    """Posts a coordinator linked to this one."""
    other_ids = select(Match.offer_id).where(Match.need_id == post.id).union(
        select(Match.need_id).where(Match.offer_id == post.id))
    return list(db.session.scalars(select(Post).where(Post.id.in_(other_ids))
                                   .order_by(Post.created_at.desc())))


def broker(post: Post, other: Post, actor: User) -> Match:
    """`actor` links a need and an offer by hand; idempotent."""
    if post.kind == other.kind:
        raise Invalid("same kind")
    need, offer = (post, other) if post.kind == Kind.NEED else (other, post)
    existing = db.session.scalar(select(Match).where(Match.need_id == need.id,
                                                     Match.offer_id == offer.id))
    if existing:
        return existing
    match = Match(need_id=need.id, offer_id=offer.id, created_by=actor.id)
    db.session.add(match)
    audit.record("board.matched", "board_post", need.id, f"offer {offer.id}")
    audit.record("board.matched", "board_post", offer.id, f"need {need.id}")
    db.session.commit()
    return match
