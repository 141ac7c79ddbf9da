"""The stylesheet, icon and scripts: URLs that name their content, cached for a year by the
browser; a changed file gets a new URL, so nobody is left with an old stylesheet."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from flask import url_for

from aid import assets


def _version_of(app, filename: str) -> str:
    return hashlib.sha256((Path(app.static_folder) / filename).read_bytes()).hexdigest()[:12]


def test_pages_link_the_stylesheet_and_icon_by_their_content(app, client):
    html = client.get("/board").get_data(as_text=True)
    css = re.search(r'<link rel="stylesheet" href="([^"]+)"', html).group(1)
    icon = re.search(r'<link rel="icon" href="([^"]+)"', html).group(1)
    assert css == f"/static/aid.css?v={_version_of(app, 'aid.css')}"
    assert icon == f"/static/icon.svg?v={_version_of(app, 'icon.svg')}"
    with app.test_request_context():
        assert url_for("static", filename="saved-replies.js").endswith(
            f"?v={_version_of(app, 'saved-replies.js')}")


def test_a_versioned_file_is_cached_for_a_year_and_an_unversioned_one_briefly(app, client):
    with app.test_request_context():
        versioned = url_for("static", filename="aid.css")
    answer = client.get(versioned)
    assert answer.status_code == 200 and b"{" in answer.data
    assert answer.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    for path in ("/static/aid.css", "/static/aid.css?v=000000000000"):
        answer = client.get(path)
        assert answer.status_code == 200
        assert answer.headers["Cache-Control"] == "public, max-age=300"
    assert "Content-Security-Policy" in answer.headers  # the same headers as every answer
    assert client.get("/board").headers["Cache-Control"] == "no-store"


def test_the_url_changes_when_the_file_changes(tmp_path):
    (tmp_path / "site.css").write_text("body { color: black }")
    first = assets.Versions(tmp_path)
    before = first.of("site.css")
    (tmp_path / "site.css").write_text("body { color: navy }")
    assert first.of("site.css") == before  # worked out once per process
    after = assets.Versions(tmp_path).of("site.css")  # the next start, after a deploy
    assert before and after and before != after
    assert assets.Versions(tmp_path, follow_changes=True).of("site.css") == after
    assert first.of("../secret.txt") is None and first.of("missing.css") is None


def test_while_debugging_a_changed_file_gets_its_new_url_at_once(tmp_path):
    (tmp_path / "site.css").write_text("body { color: black }")
    watching = assets.Versions(tmp_path, follow_changes=True)
    before = watching.of("site.css")
    (tmp_path / "site.css").write_text("body { color: navy; margin: 0 }")
    assert watching.of("site.css") != before
