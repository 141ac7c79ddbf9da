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
_shapes: dict[tuple[str, str, tuple[str, ...]], str] = {}


def path_for(endpoint: str, **ids: int) -> str:
    """`url_for(endpoint, **ids)` for whole-number arguments, as a path."""
    names = tuple(sorted(ids))
    key = (request.script_root, endpoint, names)
    shape = _shapes.get(key)
    if shape is None:
        marks: dict[str, Any] = {name: _MARK + i for i, name in enumerate(names)}
        built = url_for(endpoint, **marks).replace("{", "{{").replace("}", "}}")
        for name, mark in marks.items():
            if built.count(str(mark)) != 1:
                raise ValueError(f"{endpoint}: {name} is not a path part of its own")
            built = built.replace(str(mark), "{" + name + "}")
        shape = _shapes[key] = built
    return shape.format(**{name: int(value) for name, value in ids.items()})
