"""A few seconds' cache of the public lists (the board, the feeds) for visitors not signed in.

A crowd opening the board after a post is shared costs one page build every few seconds
instead of one per visitor. What is kept, and never otherwise:

- only GET requests of visitors who are not signed in and have no message waiting to be
  shown (a flash), answered 200;
- one copy per host, path with its query string, and language (the page's other inputs, the
  network's settings and the posts, drop the copies when they change);
- the CSRF token a page carries (the language switcher's form) is taken out before keeping
  and each visitor's own put back in every answer.

A view declares the tables it shows (`@cached("board", "board_posts", ...)`); any transaction
that wrote one of them drops that view's copies when it ends (`aid.written`). Copies live in
Redis when AID_REDIS_URL is set (every process shares them and sees them dropped), else in
each process's memory (another process may show its copy until it expires: at most
AID_PAGE_CACHE_SECONDS).
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any, Protocol

import redis
from flask import Flask, Response, current_app, g, has_app_context, make_response, request, session
from flask_babel import get_locale
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from aid import written

CSRF_SLOT = b"\x00aid-csrf\x00"  # no text a person sends can hold a NUL: the cleaner drops it
MAX_COPIES = 200  # per page (a board page is ~30 KB): query strings are anyone's to vary

# table name -> the cached pages that show it
_SHOWN_IN: dict[str, set[str]] = {}

Copy = tuple[int, str, bytes]  # status, content type, body


class Store(Protocol):
    def get(self, page: str, key: str) -> Copy | None: ...
    def put(self, page: str, key: str, copy: Copy, seconds: int) -> None: ...
    def clear(self, pages: Iterable[str]) -> None: ...


class MemoryStore:
    """Copies in this process, each with its expiry time."""

    def __init__(self) -> None:
        self._pages: dict[str, dict[str, tuple[float, Copy]]] = {}
        self._lock = threading.Lock()

    def get(self, page: str, key: str) -> Copy | None:
        found = self._pages.get(page, {}).get(key)
        if found is None or found[0] <= time.monotonic():
            return None
        return found[1]

    def put(self, page: str, key: str, copy: Copy, seconds: int) -> None:
        now = time.monotonic()
        with self._lock:
            copies = self._pages.setdefault(page, {})
            if len(copies) >= MAX_COPIES:
                for old in [k for k, (until, _c) in copies.items() if until <= now]:
                    del copies[old]
                if len(copies) >= MAX_COPIES:
                    copies.clear()
            copies[key] = (now + seconds, copy)

    def clear(self, pages: Iterable[str]) -> None:
        with self._lock:
            for page in pages:
                self._pages.pop(page, None)


class RedisStore:
    """Copies in one Redis hash per page: one round trip to look up, one to keep, one DEL
    to drop a page's copies in every process. The hash expires after the last copy kept;
    each copy carries its own expiry too."""

    def __init__(self, url: str) -> None:
        self._redis = redis.Redis.from_url(url)
        self._errors: tuple[type[Exception], ...] = (redis.RedisError, OSError)

    @staticmethod
    def _name(page: str) -> str:
        return f"aid:pages:{page}"

    def get(self, page: str, key: str) -> Copy | None:
        try:
            raw = self._redis.hget(self._name(page), key)
        except self._errors:
            return None  # no cache rather than no page
        if not raw:
            return None
        until, status, content_type, body = bytes(raw).split(b"\n", 3)  # type: ignore[arg-type]
        if float(until) <= time.time():
            return None
        return int(status), content_type.decode(), body

    def put(self, page: str, key: str, copy: Copy, seconds: int) -> None:
        status, content_type, body = copy
        value = b"\n".join((str(time.time() + seconds).encode(), str(status).encode(),
                            content_type.encode(), body))
        try:
            pipe = self._redis.pipeline()
            pipe.hset(self._name(page), key, value)  # type: ignore[arg-type]  # bytes are fine
            pipe.expire(self._name(page), seconds + 1)
            pipe.hlen(self._name(page))
            if pipe.execute()[-1] > MAX_COPIES:
                self._redis.delete(self._name(page))
        except self._errors:
            pass

    def clear(self, pages: Iterable[str]) -> None:
        names = [self._name(page) for page in pages]
        if names:
            try:
                self._redis.delete(*names)
            except self._errors:
                current_app.logger.warning("page cache: could not drop %s in Redis", names)

    def clear_all(self) -> None:
        names = list(self._redis.scan_iter(match="aid:pages:*"))
        if names:
            self._redis.delete(*names)


def store(app: Flask) -> Store:
    return app.extensions["aid_page_cache"]


def clear_all(app: Flask) -> None:
    """Every kept copy dropped (a test starting afresh; after a restore)."""
    kept = store(app)
    if isinstance(kept, RedisStore):
        kept.clear_all()
    else:
        app.extensions["aid_page_cache"] = MemoryStore()


def init_app(app: Flask) -> None:
    url = app.config.get("REDIS_URL") or ""
    app.extensions["aid_page_cache"] = RedisStore(url) if url else MemoryStore()


def cached(page: str, *tables: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Keep the view's answers to anonymous visitors a few seconds; `tables` are those it
    shows, whose changes drop the copies."""
    for table in tables:
        _SHOWN_IN.setdefault(table, set()).add(page)
    written.when_written(tables, _drop_pages)

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def serve(*args: Any, **kwargs: Any) -> Any:
            seconds = current_app.config.get("PAGE_CACHE_SECONDS", 0)
            if not seconds or not _anonymous_get():
                return view(*args, **kwargs)
            kept, key = store(current_app), _key()
            copy = kept.get(page, key)
            if copy is not None:
                return _answer(copy)
            response = make_response(view(*args, **kwargs))
            if (response.status_code == 200 and not response.is_streamed
                    and "_flashes" not in session):
                body = response.get_data()
                token = g.get("csrf_token")  # set by generate_csrf when the page used it
                if token:
                    body = body.replace(str(token).encode(), CSRF_SLOT)
                kept.put(page, key, (200, response.content_type or "text/html", body),
                         seconds)
            return response

        return serve

    return decorate


def _anonymous_get() -> bool:
    return (request.method == "GET" and not current_user.is_authenticated
            and "_flashes" not in session)


def _key() -> str:
    """What the page may differ by besides the data: host (absolute links in feeds), path and
    query string (filters, page, the language form's way back) and language."""
    raw = f"{request.host_url}\n{request.full_path}\n{get_locale()}"
    return hashlib.sha256(raw.encode()).hexdigest()


def _answer(copy: Copy) -> Response:
    status, content_type, body = copy
    if CSRF_SLOT in body:
        body = body.replace(CSRF_SLOT, generate_csrf().encode())
    return Response(body, status=status, content_type=content_type)


# -- dropping copies when what they show changes ------------------------------------------

def _drop_pages(tables: set[str]) -> None:
    if has_app_context() and "aid_page_cache" in current_app.extensions:
        store(current_app).clear({page for t in tables for page in _SHOWN_IN.get(t, ())})
