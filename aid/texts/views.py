"""The founding texts: a contents page and one page per article."""

from __future__ import annotations

from flask import abort, render_template
from flask.typing import ResponseReturnValue

from aid.security import access
from aid.security.access import Level, user_level
from aid.texts import bp, service


@bp.route("")
@access.rule(Level.PUBLIC)
def index() -> ResponseReturnValue:
    # Only admins can fix the files, and file names are operator detail: show them nothing
    # else.
    problems = service.errors() if user_level() >= Level.ADMIN else ()
    return render_template("texts/index.html", articles=service.articles(), problems=problems)


@bp.route("/<slug>")
@access.rule(Level.PUBLIC)
def article(slug: str) -> ResponseReturnValue:
    found = service.article(slug)
    if found is None:
        abort(404)
    return render_template("texts/article.html", article=found)
