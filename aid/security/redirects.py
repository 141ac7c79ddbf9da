"""The one check for where the app may send someone after an action (`?next=`, `next`).

Browsers drop tabs and newlines anywhere in a URL and read a backslash as a slash, so
`/\\t/evil.example` and `/\\evil.example` both reach another site. The target is normalised
the way a browser would read it first, and only then checked: a local path or nothing.
"""

from __future__ import annotations

from urllib.parse import urlsplit

MAX_LENGTH = 2000


def local_target(target: str | None) -> str | None:
    """`target` as a path on this site, or None when it could lead anywhere else."""
    if not target or len(target) > MAX_LENGTH:
        return None
    cleaned = "".join(ch for ch in target if ch >= " " and ch != "\x7f").strip()
    cleaned = cleaned.replace("\\", "/")
    if any(ch.isspace() for ch in cleaned):
        return None  # no path of ours has a space; a tab may have become one on the way in
    if not cleaned.startswith("/") or cleaned.startswith("//"):
        return None
    try:
        parts = urlsplit(cleaned)
    except ValueError:
        return None
    if parts.scheme or parts.netloc:
        return None
    return cleaned
