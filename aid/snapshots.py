"""What nearly every page reads (the network's settings, its areas, retention periods, the
board's open-post count), kept as frozen copies in this process for a few seconds.

Every page used to read the settings row (its language list chooses the page's language),
most read the areas, and each read is a statement and an ORM object. A feature marks the
function that reads one with `@kept("name", *tables)`: its answer (one per set of arguments)
is kept for AID_SETTINGS_CACHE_SECONDS (30 s, or the setting named by `expiry`; 0 keeps
nothing) and dropped in this process as soon as a transaction that wrote one of the tables
ends (`aid.written`), so whoever saves a change sees it on the next page. Another process (a
second web worker, the background worker) may show its copy until it expires.

What is kept must be a frozen value, never an ORM row: a copy is shared by every request of
the process, so a change has to go through the function that saves it, not through an
attribute of the copy. A copy is never made inside a transaction that wrote its tables (it
could hold what is rolled back), nor kept if its tables were written while it was read.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from functools import wraps
from typing import Any, ParamSpec, TypeVar

from flask import current_app

from aid import written
from aid.extensions import db

T = TypeVar("T")
P = ParamSpec("P")
MAX_COPIES = 1_000

# (name, database URL, arguments) -> (expires at, value); the URL keeps two apps' apart.
_kept: dict[tuple[Any, ...], tuple[float, Any]] = {}
_tables_of: dict[str, tuple[str, ...]] = {}
_generation = 0  # moves on at every drop: a copy read across a drop is not kept
_lock = threading.Lock()


def kept(name: str, *tables: str, expiry: str = "SETTINGS_CACHE_SECONDS"
         ) -> Callable[[Callable[P, T]], Callable[P, T]]:
    """Keep what the decorated reader returns, one copy per set of (hashable) arguments,
    for `app.config[expiry]` seconds; a write to one of `tables` drops them all."""
    _tables_of[name] = tables
    written.when_written(tables, _drop_written)

    def decorate(read: Callable[P, T]) -> Callable[P, T]:
        @wraps(read)
        def get(*args: P.args, **kwargs: P.kwargs) -> T:
            seconds = current_app.config.get(expiry, 30)
            key = (name, current_app.config["SQLALCHEMY_DATABASE_URI"], args,
                   tuple(sorted(kwargs.items())))
            now = time.monotonic()
            found = _kept.get(key)
            if found is not None and found[0] > now:
                return found[1]
            session = db.session()
            if not seconds or written.pending(session) & set(tables):
                return read(*args, **kwargs)
            generation = _generation
            value = read(*args, **kwargs)
            with _lock:
                if generation == _generation and not written.pending(session) & set(tables):
                    if len(_kept) >= MAX_COPIES:
                        _kept.clear()  # many argument sets: start again rather than track use
                    _kept[key] = (now + seconds, value)
            return value

        return get

    return decorate


def drop(*names: str) -> None:
    """Drop the named copies (every copy with no names): after raw SQL wrote their tables,
    a restore, or a test that empties the database."""
    global _generation
    with _lock:
        _generation += 1
        for key in [k for k in _kept if not names or k[0] in names]:
            del _kept[key]


def _drop_written(tables: set[str]) -> None:
    names = [name for name, shown in _tables_of.items() if set(shown) & tables]
    if names:
        drop(*names)
