"""Which founding-text passage backs which feature: the one place that says so.

Each feature key maps to (article slug, a short exact quote from one paragraph). The quote
is shown as written and located with ``find_passage``, so the link lands on its paragraph.
Templates call ``why('hotline')`` (see templates/macros/texts.html); nothing else names a
passage.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from flask import Flask, current_app, url_for
from markupsafe import Markup

from aid.texts.parser import Article, find_passage

ROGERS = "solidarity-politics-to-resist-the-coming-regime"
BRECHER = "social-self-defense-protecting-people-and-planet-against-trump-and-trumpism"

PASSAGES: dict[str, tuple[str, str]] = {
    "home": (
        BRECHER,
        "Polish activists formed a loose network to provide financial, legal, medical, "
        "and other help to people who had been persecuted",
    ),
    "hotline": (ROGERS, "We need hotlines, safe houses, support groups"),
    "volunteers": (ROGERS, "We need methods of networking that exclude informants."),
    "shifts": (BRECHER, "thousands of people signed up to accompany threatened immigrants"),
    "board": (
        ROGERS,
        "We need to exchange information across identity lines so we know what\u2019s "
        "happening to others, and can ask for or offer help.",
    ),
    "alerts": (ROGERS, "We need an early warning system."),
}

EXTENSION = "aid_passages"


@dataclass(frozen=True)
class Passage:
    key: str
    slug: str
    title: str
    authors: str
    quote: str
    anchor: str

    @property
    def url(self) -> str:
        return url_for("texts.article", slug=self.slug, _anchor=self.anchor)


def resolve_all(articles: Iterable[Article]) -> tuple[dict[str, Passage], list[str]]:
    """Every mapping that finds its passage, and a message for each one that does not."""
    found: dict[str, Passage] = {}
    problems: list[str] = []
    for key, (slug, quote) in PASSAGES.items():
        try:
            article, index = find_passage(articles, slug, quote)
        except KeyError as error:
            problems.append(f"passage for {key!r}: {error.args[0]}")
            continue
        found[key] = Passage(key, slug, article.title, article.authors_text, quote, f"p{index}")
    return found, problems


def init_app(app: Flask, articles: Iterable[Article]) -> None:
    # A network that replaced the seed texts may lack a passage: that feature's line is
    # simply left out, and the operator is told once here rather than on every page.
    found, problems = resolve_all(articles)
    for problem in problems:
        app.logger.warning("founding texts: %s; its 'why this exists' line is hidden", problem)
    app.extensions[EXTENSION] = found
    app.jinja_env.globals["founding_passage"] = passage
    app.jinja_env.globals["why"] = why


def passage(key: str) -> Passage | None:
    return current_app.extensions[EXTENSION].get(key)


def why(key: str) -> Markup:
    """The macro, callable from any template without an import: ``{{ why('hotline') }}``."""
    module = current_app.jinja_env.get_template("macros/texts.html").module
    # Already Markup: the macro is rendered by the autoescaping environment.
    rendered: Markup = module.why(key)
    return rendered
