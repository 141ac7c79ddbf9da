"""Which founding-text passage backs which feature: the one place that says so.

Each feature key maps to (article slug, a short exact quote from one paragraph). The quote
is located with ``find_passage``, so the link lands on its paragraph. Pages show it in the
reader's language (its translation is in the catalogue, marked with ``N_`` below) with the
original English one tap away; the article pages themselves stay the original.
Templates call ``why('hotline')`` (see templates/macros/texts.html); nothing else names a
passage.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from flask import current_app, url_for
from flask.sansio.app import App
from flask_babel import get_locale
from flask_babel import gettext as translate
from markupsafe import Markup

from aid.fragments import kept
from aid.texts.parser import Article, find_passage


def N_(message: str) -> str:  # noqa: N802 (the catalogue's marker: extracted, not translated)
    return message


ROGERS = "solidarity-politics-to-resist-the-coming-regime"
BRECHER = "social-self-defense-protecting-people-and-planet-against-trump-and-trumpism"

PASSAGES: dict[str, tuple[str, str]] = {
    "home": (
        BRECHER,
        N_("Polish activists formed a loose network to provide financial, legal, medical, "
           "and other help to people who had been persecuted"),
    ),
    "hotline": (ROGERS, N_("We need hotlines, safe houses, support groups")),
    "volunteers": (ROGERS, N_("We need methods of networking that exclude informants.")),
    "shifts": (BRECHER, N_("thousands of people signed up to accompany threatened immigrants")),
    "board": (
        ROGERS,
        N_("We need to exchange information across identity lines so we know what\u2019s "
           "happening to others, and can ask for or offer help."),
    ),
    "alerts": (ROGERS, N_("We need an early warning system.")),
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
    def shown(self) -> str:
        """The quote in the reader's language (the English itself when not translated)."""
        return translate(self.quote)

    @property
    def language(self) -> str:
        return str(get_locale() or "en")

    @property
    def translated(self) -> bool:
        return self.language != "en" and self.shown != self.quote

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


def init_app(app: App, articles: Iterable[Article]) -> None:
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
    """The macro, callable from any template without an import: ``{{ why('hotline') }}``.
    The box is the same for every reader of one language: rendered once per passage and
    language (`aid.fragments.kept`)."""
    module = current_app.jinja_env.get_template("macros/texts.html").module
    # Already Markup: the macro is rendered by the autoescaping environment.
    return kept("why", passage(key), caller=lambda: module.why(key))  # type: ignore[attr-defined]
