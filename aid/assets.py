"""Static files (stylesheet, icon, scripts) under URLs that name their content.

`url_for('static', filename=...)` gains `?v=<hash of the file>` everywhere (templates need
nothing of their own), and a request carrying the file's current hash is answered with a year
of caching: browsers stop asking again on every page, and a changed file has a new URL, so
nobody keeps an old stylesheet. A request without the hash, or with an old one, is cached
briefly only. Hashes are computed once per process, when a URL is first built (while
debugging, again whenever the file changes).
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from flask import Flask, Response, request
from werkzeug.security import safe_join

LONG = "public, max-age=31536000, immutable"
SHORT = "public, max-age=300"


class Versions:
    """The content hash of each file in one folder, computed on first use and kept."""

    def __init__(self, folder: str | Path, follow_changes: bool = False) -> None:
        self.folder = str(folder)
        self.follow_changes = follow_changes
        self._known: dict[str, tuple[tuple[int, int], str | None]] = {}

    def of(self, filename: str) -> str | None:
        """The file's version (12 hex digits of its SHA-256), or None if there is no such
        file in the folder."""
        known = self._known.get(filename)
        if known is not None and not self.follow_changes:
            return known[1]
        path = safe_join(self.folder, filename)
        try:
            found = Path(path).stat() if path else None
        except OSError:
            found = None
        stamp = (found.st_mtime_ns, found.st_size) if found else (-1, -1)
        if known is not None and known[0] == stamp:
            return known[1]
        digest = None
        if path and found and Path(path).is_file():
            digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()[:12]
        self._known[filename] = (stamp, digest)
        return digest


def versions(app: Flask) -> Versions:
    return app.extensions["aid_static_versions"]


def init_app(app: Flask) -> None:
    found = Versions(app.static_folder or "", follow_changes=app.debug)
    app.extensions["aid_static_versions"] = found

    @app.url_defaults
    def _versioned(endpoint: str, values: dict[str, Any]) -> None:
        if endpoint == "static" and "v" not in values:
            version = found.of(str(values.get("filename", "")))
            if version:
                values["v"] = version

    @app.after_request
    def _cache_static(response: Response) -> Response:
        if request.endpoint == "static" and response.status_code in (200, 304):
            filename = (request.view_args or {}).get("filename", "")
            current = found.of(str(filename))
            asked = request.args.get("v")
            response.headers["Cache-Control"] = LONG if current and asked == current else SHORT
            response.headers.pop("Expires", None)
        return response
