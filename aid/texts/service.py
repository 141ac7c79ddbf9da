"""The loaded founding texts: read once at start-up, shared by every request.

A network can drop its own files into the folder named by ``AID_SEEDS_DIR``. A file that
cannot be read is logged (file and line) and shown to admins on the contents page; its
articles are left out and the rest of the site carries on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from flask import current_app
from flask.sansio.app import App

from aid.texts import passages
from aid.texts.parser import Article, TextsError, load_folder

EXTENSION = "aid_texts"


@dataclass(frozen=True)
class Library:
    articles: tuple[Article, ...]
    errors: tuple[TextsError, ...]
    by_slug: dict[str, Article] = field(default_factory=dict)


def load(folder: Path) -> Library:
    articles, errors = load_folder(folder)
    return Library(tuple(articles), tuple(errors), {a.slug: a for a in articles})


def init_app(app: App) -> None:
    library = load(Path(app.config["SEEDS_DIR"]))
    for error in library.errors:
        app.logger.error("founding texts: could not read %s", error)
    app.extensions[EXTENSION] = library
    app.jinja_env.filters["machine_date"] = machine_date
    passages.init_app(app, library.articles)


def library() -> Library:
    return current_app.extensions[EXTENSION]


def articles() -> tuple[Article, ...]:
    return library().articles


def article(slug: str) -> Article | None:
    return library().by_slug.get(slug)


def errors() -> tuple[TextsError, ...]:
    return library().errors


def machine_date(article: Article) -> str:
    """The date for a ``<time datetime>``: "2016-12" when the byline gave only a month."""
    if re.search(r"\b\d{1,2}\b", article.published_text):
        return article.published.isoformat()
    return article.published.strftime("%Y-%m")
