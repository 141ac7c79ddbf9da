"""Paths to pages that differ only by ids, built once per process and filled in after.

`url_for` walks the routing rules on every call: a list of 25 rows that links each row
spent more on its links than on its query. `path_for("board.show", post_id=7)` builds the
path once with stand-in numbers and then only puts the ids in (whole numbers only, which is
what every id in a path here is).
"""

from __future__ import annotations

from typing import Any

from flask import request, url_for

# Stand-ins: whole numbers no id reaches, each one's digits found nowhere else in a path.
_MARK = 2_147_400_000
_shapes: dict[tuple[str, str, tuple[str, ...]], str | None] = {}


def path_for(endpoint: str, **ids: int) -> str:
    """`url_for(endpoint, **ids)` for whole-number arguments, as a path."""
    names = tuple(sorted(ids))
    key = (request.script_root, endpoint, names)
    try:
        shape = _shapes[key]
    except KeyError:
        shape = _shapes[key] = _shape(endpoint, names)
    if shape is None:
        return url_for(endpoint, **dict[str, Any](ids))
    return shape.format(**{name: int(value) for name, value in ids.items()})


def _shape(endpoint: str, names: tuple[str, ...]) -> str | None:
    """The path with a `{name}` for each argument; None when one cannot be told apart."""
    marks: dict[str, Any] = {name: _MARK + i for i, name in enumerate(names)}
    shape = url_for(endpoint, **marks).replace("{", "{{").replace("}", "}}")
    for name, mark in marks.items():
        if shape.count(str(mark)) != 1:
            return None
        shape = shape.replace(str(mark), "{" + name + "}")
    return shape


def page_url(endpoint: str, **values: Any) -> str:
    """Templates' `url_for`: a path whose arguments are whole numbers (or none) comes from
    `path_for`; anything else (a static file, a text argument, `_external` or `_anchor`, a
    relative endpoint) from `url_for` itself."""
    if endpoint.startswith(".") or any(type(v) is not int or k.startswith("_")
                                       for k, v in values.items()):
        return url_for(endpoint, **values)
    return path_for(endpoint, **values)
