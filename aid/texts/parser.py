"""Parser for the network's founding texts (the ``seeds/*.txt`` files).

A texts file is a saved web page: one line per paragraph, blank lines between. Each article
is a heading line, then a byline ``By AUTHOR - PUBLICATION, DATE``, then body paragraphs.
The saved page also carries the site's chrome: the breadcrumb ("You are here" followed by
the trail, e.g. "movement politics") at the top and a "Pages" block title at the bottom.
Those are dropped here so that they never show up as articles or paragraphs.

Pure standard library on purpose: the CLI, the pages and the tests can all use it without
an application context.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

__all__ = [
    "Article",
    "TextsError",
    "find_passage",
    "load_folder",
    "paragraph_anchor",
    "parse_text",
    "slugify",
]

BYLINE_FORMAT = '"By AUTHOR - PUBLICATION, DATE"'

# Site chrome seen in the saved page. The breadcrumb is a marker line and the trail after
# it; the footer is a block title left alone on the last line. Matched case-insensitively
# on whole lines only, and only at the very top or bottom, so an article can still say
# "you are here" or "pages" in a sentence.
BREADCRUMB_MARKER = "you are here"
FOOTER_CHROME = frozenset({"pages"})

# Longer than any real heading; a longer "heading" means a paragraph sits right before a
# byline, i.e. the real heading is missing.
MAX_TITLE_LENGTH = 200
MAX_SLUG_LENGTH = 80

# Own month names rather than strftime/strptime("%B"), which follow the process locale.
_MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_MONTHS = {
    name: number
    for number, full in enumerate(_MONTH_NAMES, start=1)
    for name in (full.lower(), full[:3].lower())
} | {"sept": 9}

_BYLINE_RE = re.compile(r"By\s+(?P<authors>\S.*?)\s+[-\u2013\u2014]\s+(?P<rest>\S.*)")
_PUBLICATION_DATE_RE = re.compile(r"(?P<publication>\S.*?),\s*(?P<date>[^,]+(?:,\s*\d{4})?)")
_DATE_RE = re.compile(r"(?P<month>[A-Za-z]+)\.?\s+(?:(?P<day>\d{1,2}),?\s+)?(?P<year>\d{4})")
_AUTHOR_SEPARATOR_RE = re.compile(r",\s*(?:and\s+|&\s*)?|\s+and\s+|\s*&\s*")
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})


@dataclass(frozen=True)
class Article:
    """One founding text; immutable so pages and caches can share the loaded list."""

    slug: str
    title: str
    authors: tuple[str, ...]
    publication: str
    published: date
    paragraphs: tuple[str, ...]
    source: str
    # The date as the byline wrote it: "December 2016" has no day, and ``published``
    # (the 1st, for sorting) must not be shown as if it were exact.
    published_text: str = ""
    # 1-based line of the heading in ``source``, for messages and "edit this" links.
    line: int = 0

    @property
    def authors_text(self) -> str:
        """Authors joined for reading: "A", "A and B", "A, B and C"."""
        if len(self.authors) <= 1:
            return "".join(self.authors)
        return f"{', '.join(self.authors[:-1])} and {self.authors[-1]}"

    @property
    def byline(self) -> str:
        """The byline in the file's own format, rebuilt from the parsed parts."""
        when = self.published_text or (
            f"{_MONTH_NAMES[self.published.month - 1]} {self.published.day}, {self.published.year}"
        )
        return f"By {self.authors_text} - {self.publication}, {when}"

    def passages(self) -> tuple[tuple[str, str], ...]:
        """(anchor, paragraph) pairs, so a template links every paragraph the same way."""
        return tuple(
            (paragraph_anchor(index), text) for index, text in enumerate(self.paragraphs, start=1)
        )


class TextsError(Exception):
    """A texts file that cannot be read; names file and line so an editor can fix it."""

    def __init__(self, path: str, line: int | None, message: str) -> None:
        super().__init__(path, line, message)
        self.path = path
        self.line = line
        self.message = message

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path} line {self.line}"
        return f"{where}: {self.message}"


def paragraph_anchor(index: int) -> str:
    """Fragment id of the 1-based paragraph ``index`` ("p3"): stable links to a passage."""
    if isinstance(index, bool) or not isinstance(index, int) or index < 1:
        raise ValueError(f"paragraph index must be an integer >= 1, not {index!r}")
    return f"p{index}"


def slugify(title: str) -> str:
    """URL-safe ASCII slug of a title; depends on the title only, so links survive reloads."""
    text = unicodedata.normalize("NFKD", title.replace("'", "").replace("\u2019", ""))
    text = text.encode("ascii", "ignore").decode("ascii").lower()
    slug = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    if len(slug) > MAX_SLUG_LENGTH:
        cut = slug[:MAX_SLUG_LENGTH]
        slug = cut.rsplit("-", 1)[0] if "-" in cut else cut
    return slug or "article"


def parse_text(text: str, source: str) -> list[Article]:
    """Parse one texts file into articles, in file order, with unique slugs.

    Raises TextsError (with ``source`` and the line) on the first problem, because a file
    that is wrong in one place cannot be trusted to have been split right elsewhere.
    """
    return _assign_slugs(_parse_articles(text, source), set())


def load_folder(folder: Path) -> tuple[list[Article], list[TextsError]]:
    """Load every ``*.txt`` in ``folder`` (by name); bad files become errors, not crashes.

    A malformed file dropped into ``seeds/`` must not take the site down: its articles are
    left out and one TextsError per file is returned for the operator. Slugs are made
    unique in file-name order, so adding a later file never renames an existing article.
    Articles are returned sorted by publication date, then title.
    """
    articles: list[Article] = []
    errors: list[TextsError] = []
    taken: set[str] = set()
    if not folder.is_dir():
        return [], [TextsError(str(folder), None, "texts folder not found")]
    files = sorted(
        (p for p in folder.glob("*.txt") if p.is_file() and not p.name.startswith(".")),
        key=lambda p: p.name,
    )
    for path in files:
        shown = f"{folder.name}/{path.name}"
        try:
            text = _read(path, shown)
            drafts = _parse_articles(text, path.name)
        except TextsError as error:
            errors.append(TextsError(shown, error.line, error.message))
            continue
        articles.extend(_assign_slugs(drafts, taken))
    articles.sort(key=lambda a: (a.published, a.title.casefold(), a.slug))
    return articles, errors


def find_passage(articles: Iterable[Article], slug: str, needle: str) -> tuple[Article, int]:
    """The article ``slug`` and the 1-based index of its first paragraph containing ``needle``.

    Matching ignores case, runs of whitespace and curly-vs-straight quotes, so a passage
    quoted by hand in code still finds the text. Raises KeyError when there is no such
    article or passage, so a stale feature->passage mapping fails loudly in tests.
    """
    article = next((a for a in articles if a.slug == slug), None)
    if article is None:
        raise KeyError(f"no founding text with slug {slug!r}")
    wanted = _fold(needle)
    if not wanted:
        raise ValueError("needle must contain some text")
    for index, paragraph in enumerate(article.paragraphs, start=1):
        if wanted in _fold(paragraph):
            return article, index
    raise KeyError(f"{needle!r} not found in {slug!r}")


# -- internals ----------------------------------------------------------------------------


def _fold(text: str) -> str:
    return " ".join(text.translate(_QUOTES).split()).casefold()


def _read(path: Path, shown: str) -> str:
    try:
        data = path.read_bytes()
    except OSError as error:
        raise TextsError(shown, None, f"cannot read the file ({error.strerror})") from error
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise TextsError(shown, line, "the file is not valid UTF-8 text") from error


def _split_byline(line: str) -> tuple[str, str, str] | None:
    """(authors, publication, date text) if ``line`` is shaped like a byline, else None.

    Shape only, not validity: a byline with a bad date is still recognised (and reported),
    while a body paragraph that merely starts with "By " is not, because it lacks the
    " - PUBLICATION, <date with a number>" tail.
    """
    match = _BYLINE_RE.fullmatch(line)
    if match is None:
        return None
    rest = _PUBLICATION_DATE_RE.fullmatch(match["rest"])
    if rest is None:
        return None
    when = rest["date"].strip()
    if len(when) > 40 or not any(ch.isdigit() for ch in when):
        return None
    return match["authors"], rest["publication"].strip(), when


def _parse_date(text: str) -> date | None:
    match = _DATE_RE.fullmatch(text)
    if match is None:
        return None
    month = _MONTHS.get(match["month"].lower())
    if month is None:
        return None
    try:
        return date(int(match["year"]), month, int(match["day"] or 1))
    except ValueError:
        return None


def _split_authors(text: str) -> tuple[str, ...]:
    names = _AUTHOR_SEPARATOR_RE.split(" ".join(text.split()))
    return tuple(name.strip() for name in names if name.strip())


def _content_lines(text: str) -> list[tuple[int, str]]:
    """Non-blank lines as (1-based line number, stripped text)."""
    text = text.removeprefix("\ufeff")
    # split("\n") rather than splitlines(): editors count lines by "\n" only, and the
    # line numbers in errors must match what the editor shows.
    return [
        (number, line.strip())
        for number, line in enumerate(text.split("\n"), start=1)
        if line.strip()
    ]


def _strip_chrome(lines: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Drop the breadcrumb at the top and the block title at the bottom of the saved page."""
    start = 0
    if lines and lines[0][1].casefold() == BREADCRUMB_MARKER:
        start = 1
        # The trail is one line, unless the marker is directly followed by the first
        # heading (a line whose next line is a byline).
        trail_is_heading = len(lines) > 2 and _split_byline(lines[2][1]) is not None
        if len(lines) > 1 and not trail_is_heading:
            start = 2
    end = len(lines)
    while end > start and lines[end - 1][1].casefold() in FOOTER_CHROME:
        end -= 1
    return lines[start:end]


def _parse_articles(text: str, source: str) -> list[Article]:
    all_lines = _content_lines(text)
    if not all_lines:
        raise TextsError(
            source, 1, f"the file is empty; expected a heading and a byline {BYLINE_FORMAT}"
        )
    lines = _strip_chrome(all_lines)
    if not lines:
        raise TextsError(
            source, all_lines[-1][0], "no articles: the file holds only page header/footer lines"
        )

    def is_heading(i: int) -> bool:
        return i + 1 < len(lines) and _split_byline(lines[i + 1][1]) is not None

    articles: list[Article] = []
    i = 0
    while i < len(lines):
        heading_no, title = lines[i]
        if i + 1 == len(lines):
            raise TextsError(
                source,
                heading_no,
                f'expected a byline {BYLINE_FORMAT} after the heading "{title}", but the file ends',
            )
        byline_no, byline = lines[i + 1]
        if _split_byline(title) is not None:
            raise TextsError(source, heading_no, "found a byline where a heading was expected")
        if len(title) > MAX_TITLE_LENGTH:
            raise TextsError(
                source,
                heading_no,
                f"heading is {len(title)} characters long; "
                "is the heading missing before the byline "
                f"on line {byline_no}?",
            )
        parts = _split_byline(byline)
        if parts is None:
            raise TextsError(
                source,
                byline_no,
                f"expected a byline {BYLINE_FORMAT} after "
                f'the heading "{title}" (line {heading_no})',
            )
        author_text, publication, when = parts
        published = _parse_date(when)
        if published is None:
            raise TextsError(
                source,
                byline_no,
                f'cannot read the date "{when}" in the '
                'byline; expected e.g. "January 14, 2017" '
                'or "December 2016"',
            )
        j = i + 2
        while j < len(lines) and not is_heading(j):
            j += 1
        paragraphs = tuple(line for _, line in lines[i + 2 : j])
        if not paragraphs:
            raise TextsError(
                source, byline_no, f'the article "{title}" has no paragraphs after its byline'
            )
        articles.append(
            Article(
                slug="",
                title=title,
                authors=_split_authors(author_text),
                publication=publication,
                published=published,
                paragraphs=paragraphs,
                source=source,
                published_text=" ".join(when.split()),
                line=heading_no,
            )
        )
        i = j
    return articles


def _assign_slugs(articles: list[Article], taken: set[str]) -> list[Article]:
    """Give each article its title's slug, adding -2, -3... on a clash with ``taken``."""
    result = []
    for article in articles:
        base = slugify(article.title)
        slug, n = base, 1
        while slug in taken:
            n += 1
            slug = f"{base}-{n}"
        taken.add(slug)
        result.append(replace(article, slug=slug))
    return result
