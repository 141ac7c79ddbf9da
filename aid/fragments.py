"""Parts of pages that are the same for every reader of one language, rendered once.

`{% call kept("board.filters", kind, category, area_id, areas) %}...{% endcall %}` renders
the block the first time its key is met and shows the kept copy after, in this process. The
key is the name, the values given (everything the block shows must be among them or fixed
for the life of the process), the language and the mount point. Only interface text
belongs here: never a visitor's own input, a token or anything personal.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

from flask import has_request_context, request
from markupsafe import Markup

from aid.labels import locale_now

MAX_FRAGMENTS = 2_000  # then start again rather than track use
_kept: dict[tuple[Any, ...], Markup] = {}


def kept(name: str, *key: Hashable, caller: Callable[[], str]) -> Markup:
    """The block's HTML for this key, rendered by `caller` the first time."""
    root = request.script_root if has_request_context() else ""
    full = (name, locale_now(), root, *(_hashable(k) for k in key))
    found = _kept.get(full)
    if found is None:
        if len(_kept) >= MAX_FRAGMENTS:
            _kept.clear()
        rendered = caller()
        if not isinstance(rendered, Markup):  # an autoescaping template's block always is
            raise TypeError(f"{name}: a kept block must come from an autoescaping template")
        found = _kept[full] = rendered
    return found


def _hashable(value: Any) -> Hashable:
    if isinstance(value, dict):
        return tuple(sorted(value.items()))
    return value
