"""Links built from a kept shape are the links url_for builds."""

from __future__ import annotations

from flask import url_for

from aid.urls import page_url, path_for


def test_paths_with_ids_are_what_url_for_builds(app):
    with app.test_request_context("/"):
        for post_id in (1, 7, 2_147_483_647):
            assert path_for("board.show", post_id=post_id) == url_for("board.show",
                                                                       post_id=post_id)
        assert path_for("core.home") == url_for("core.home")
        # A whole-number query argument, not a path part, is filled in the same way.
        assert page_url("board.index", page=3) == url_for("board.index", page=3)


def test_other_arguments_go_to_url_for_itself(app):
    with app.test_request_context("/"):
        assert page_url("board.index", q="rice") == url_for("board.index", q="rice")
        assert page_url("static", filename="aid.css") == url_for("static", filename="aid.css")
        assert page_url("board.index", _anchor="top").endswith("#top")
        assert page_url("board.show", post_id=True) == url_for("board.show", post_id=True)


def test_an_app_mounted_under_a_path_links_under_it(app):
    with app.test_request_context("/", base_url="http://localhost/aid"):
        assert path_for("board.show", post_id=4) == "/aid/board/4"
    with app.test_request_context("/"):
        assert path_for("board.show", post_id=4) == "/board/4"
