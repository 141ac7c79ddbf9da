"""Tests for the founding-texts parser, against the real seed file and broken copies."""

from __future__ import annotations

import hashlib
import re
from datetime import date
from pathlib import Path

import pytest

from aid.texts.parser import (
    Article,
    TextsError,
    find_passage,
    load_folder,
    paragraph_anchor,
    parse_text,
    slugify,
)

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"
SEED_NAME = "000_ab51f997ec9d76f1.txt"
SEED = SEEDS / SEED_NAME
# SHA-256 of the founding-texts file exactly as the network supplied it.
SUPPLIED_SHA256 = "e25494f7243624050aa767e692fddc57e421a4038ed7a605a1b3c64ee8e2f530"

# (title, authors, publication, published, date as written), in file order.
EXPECTED = [
    (
        "SOCIAL SELF-DEFENSE: Protecting People and Planet against Trump and Trumpism",
        ("Jeremy Brecher",),
        "Labor Network for Sustainability",
        date(2017, 1, 14),
        "January 14, 2017",
    ),
    ("Challenging a Giant", ("Mark Dudzic",), "Jacobin", date(2017, 1, 5), "January 5, 2017"),
    (
        "Winter of Dissent",
        ("x356039",),
        "IWW Environmental Unionism Caucus",
        date(2016, 12, 14),
        "December 14, 2016",
    ),
    (
        "A blueprint for a party of an old type",
        ("Scott Jay",),
        "Libcom.Org",
        date(2016, 11, 27),
        "November 27, 2016",
    ),
    (
        "Gimme some DAPL",
        ("Danny Katch",),
        "Socialist Worker",
        date(2016, 12, 2),
        "December 2, 2016",
    ),
    (
        "Shock doctrine of the left: a strategy for building socialist counterpower",
        ("Graham Jones",),
        "Red Pepper",
        date(2016, 12, 1),
        "December 2016",
    ),
    (
        "Community-Driven Social Change in the Age of the Non-Profit Industrial Complex",
        ("staff",),
        "Murphy Institute",
        date(2016, 11, 22),
        "November 22, 2016",
    ),
    (
        "In This Moment, Labor Must Become a Movement",
        ("Moshe Marvit",),
        "On Labor",
        date(2016, 11, 21),
        "November 21, 2016",
    ),
    (
        "Solidarity Politics to Resist the Coming Regime",
        ("Deborah S. Rogers",),
        "Common Dreams",
        date(2016, 11, 23),
        "November 23, 2016",
    ),
    (
        "After Brexit and Trump: don't demonise; localise!",
        ("Helena Norberg-Hodge", "Rupert Read"),
        "The Ecologist",
        date(2016, 11, 22),
        "November 22, 2016",
    ),
]

EXPECTED_SLUGS = {
    "SOCIAL SELF-DEFENSE: Protecting People and Planet against Trump and Trumpism": (
        "social-self-defense-protecting-people-and-planet-against-trump-and-trumpism"
    ),
    "Challenging a Giant": "challenging-a-giant",
    "Winter of Dissent": "winter-of-dissent",
    "A blueprint for a party of an old type": "a-blueprint-for-a-party-of-an-old-type",
    "Gimme some DAPL": "gimme-some-dapl",
    "Shock doctrine of the left: a strategy for building socialist counterpower": (
        "shock-doctrine-of-the-left-a-strategy-for-building-socialist-counterpower"
    ),
    "Community-Driven Social Change in the Age of the Non-Profit Industrial Complex": (
        "community-driven-social-change-in-the-age-of-the-non-profit-industrial-complex"
    ),
    "In This Moment, Labor Must Become a Movement": "in-this-moment-labor-must-become-a-movement",
    "Solidarity Politics to Resist the Coming Regime": (
        "solidarity-politics-to-resist-the-coming-regime"
    ),
    "After Brexit and Trump: don't demonise; localise!": (
        "after-brexit-and-trump-dont-demonise-localise"
    ),
}

CHROME = ("You are here", "movement politics", "Pages")

GOOD = "First heading\n\nBy Ann Author - Some Paper, March 3, 2017\n\nA paragraph.\n"


def seed_articles() -> list[Article]:
    return parse_text(SEED.read_text(encoding="utf-8"), SEED_NAME)


def by_title(articles: list[Article], title: str) -> Article:
    return next(a for a in articles if a.title == title)


def parse_error(text: str, source: str = "x.txt") -> TextsError:
    with pytest.raises(TextsError) as info:
        parse_text(text, source)
    return info.value


# -- the real file ------------------------------------------------------------------------


def test_seed_file_is_unchanged_from_what_the_network_supplied() -> None:
    assert hashlib.sha256(SEED.read_bytes()).hexdigest() == SUPPLIED_SHA256


def test_all_ten_articles_with_titles_authors_publications_and_dates() -> None:
    articles = seed_articles()
    got = [(a.title, a.authors, a.publication, a.published, a.published_text) for a in articles]
    assert got == EXPECTED
    assert all(a.source == SEED_NAME for a in articles)
    assert all(a.paragraphs for a in articles)


def test_load_folder_sorts_by_date_then_title() -> None:
    articles, errors = load_folder(SEEDS)
    assert errors == []
    assert [a.title for a in articles] == [
        "In This Moment, Labor Must Become a Movement",
        "After Brexit and Trump: don't demonise; localise!",
        "Community-Driven Social Change in the Age of the Non-Profit Industrial Complex",
        "Solidarity Politics to Resist the Coming Regime",
        "A blueprint for a party of an old type",
        "Shock doctrine of the left: a strategy for building socialist counterpower",
        "Gimme some DAPL",
        "Winter of Dissent",
        "Challenging a Giant",
        "SOCIAL SELF-DEFENSE: Protecting People and Planet against Trump and Trumpism",
    ]


def test_bylines_are_rebuilt_in_the_file_format() -> None:
    articles = seed_articles()
    assert by_title(articles, "After Brexit and Trump: don't demonise; localise!").byline == (
        "By Helena Norberg-Hodge and Rupert Read - The Ecologist, November 22, 2016"
    )
    # Double space before the dash in the file; the name is normalised.
    assert by_title(articles, "In This Moment, Labor Must Become a Movement").byline == (
        "By Moshe Marvit - On Labor, November 21, 2016"
    )
    # Month-only date is kept as written, not shown as "December 1".
    shock = by_title(
        articles, "Shock doctrine of the left: a strategy for building socialist counterpower"
    )
    assert shock.byline == "By Graham Jones - Red Pepper, December 2016"


def test_paragraph_starting_with_by_stays_a_paragraph_of_its_article() -> None:
    articles = seed_articles()
    brexit = by_title(articles, "After Brexit and Trump: don't demonise; localise!")
    assert brexit.paragraphs[5].startswith(
        "By failing to focus on the reckless profiteers driving the global economy,"
    )
    assert len(brexit.paragraphs) == 7
    assert brexit.paragraphs[-1].endswith("the silver lining to the dark storm clouds we see.")
    assert not any(a.title.startswith("By ") for a in articles)


def test_bylines_and_headings_are_not_paragraphs() -> None:
    for article in seed_articles():
        assert article.title not in article.paragraphs
        assert not any(re.match(r"By .* - .*, \w+ (\d+, )?\d{4}$", p) for p in article.paragraphs)


def test_header_and_footer_chrome_is_dropped() -> None:
    articles = seed_articles()
    everything = [a.title for a in articles] + [p for a in articles for p in a.paragraphs]
    for chrome in CHROME:
        assert chrome not in everything
    first, last = articles[0], articles[-1]
    assert first.line == 5
    assert first.paragraphs[0] == "Introduction: These are times to try our souls"
    assert last.paragraphs[-1] != "Pages"


def test_paragraph_counts_and_list_items() -> None:
    articles = seed_articles()
    assert [len(a.paragraphs) for a in articles] == [5, 9, 2, 6, 3, 6, 8, 11, 8, 7]
    community = by_title(
        articles,
        "Community-Driven Social Change in the Age of the Non-Profit Industrial Complex",
    )
    # The numbered list (three lines, no blank lines between) gives one passage per item.
    assert community.paragraphs[4].startswith("1. From hierarchy to horizontalism")
    assert community.paragraphs[5].startswith("2. From community economic development")
    assert community.paragraphs[6].startswith("3. From empowerment to autonomy.")


def test_slugs_are_stable_url_safe_and_unique() -> None:
    articles = seed_articles()
    assert {a.title: a.slug for a in articles} == EXPECTED_SLUGS
    assert len({a.slug for a in articles}) == len(articles)
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", a.slug) for a in articles)
    assert [a.slug for a in seed_articles()] == [a.slug for a in articles]
    assert {a.slug for a in load_folder(SEEDS)[0]} == set(EXPECTED_SLUGS.values())


def test_paragraph_anchors() -> None:
    assert paragraph_anchor(1) == "p1"
    assert paragraph_anchor(3) == "p3"
    for bad in (0, -1):
        with pytest.raises(ValueError):
            paragraph_anchor(bad)
    for article in seed_articles():
        anchors = [anchor for anchor, _ in article.passages()]
        assert anchors == [f"p{i}" for i in range(1, len(article.paragraphs) + 1)]


def test_find_passage_with_real_phrases() -> None:
    articles, _ = load_folder(SEEDS)
    slug = "solidarity-politics-to-resist-the-coming-regime"
    article, index = find_passage(articles, slug, "HOTLINES, safe houses")
    assert article.title == "Solidarity Politics to Resist the Coming Regime"
    assert index == 2
    assert "hotlines" in article.paragraphs[index - 1]
    assert paragraph_anchor(index) == "p2"
    # Straight quote in the needle finds the curly one in the text.
    assert find_passage(articles, slug, "each other's backs")[1] == 2
    article, index = find_passage(
        articles, "after-brexit-and-trump-dont-demonise-localise", "reckless profiteers"
    )
    assert index == 6


def test_find_passage_missing_raises_key_error() -> None:
    articles = seed_articles()
    with pytest.raises(KeyError):
        find_passage(articles, "solidarity-politics-to-resist-the-coming-regime", "zeppelin")
    with pytest.raises(KeyError):
        find_passage(articles, "no-such-article", "hotlines")


# -- format details -----------------------------------------------------------------------


def test_several_authors_are_split() -> None:
    text = "Title\n\nBy Ann One, Bo Two and Cy Three - Paper, Jan 2, 2017\n\nBody.\n"
    (article,) = parse_text(text, "a.txt")
    assert article.authors == ("Ann One", "Bo Two", "Cy Three")
    assert article.published == date(2017, 1, 2)
    assert article.byline == "By Ann One, Bo Two and Cy Three - Paper, Jan 2, 2017"


def test_crlf_and_byline_shaped_sentence_without_date() -> None:
    text = (
        "Title\r\n\r\nBy Ann - Paper, May 1, 2017\r\n\r\n"
        "By the way - this is prose, not a byline.\r\n"
    )
    (article,) = parse_text(text, "a.txt")
    assert article.paragraphs == ("By the way - this is prose, not a byline.",)


def test_slugify_and_duplicate_titles() -> None:
    assert slugify("Café au lait, déjà vu!") == "cafe-au-lait-deja-vu"
    assert slugify("???") == "article"
    text = GOOD + "\nFirst heading\n\nBy Bo - Paper, March 4, 2017\n\nMore.\n"
    assert [a.slug for a in parse_text(text, "a.txt")] == ["first-heading", "first-heading-2"]


# -- malformed files ----------------------------------------------------------------------


def test_missing_byline() -> None:
    error = parse_error("You are here\n\nmovement politics\n\nA heading\n\nJust prose.\n")
    assert error.path == "x.txt"
    assert error.line == 7
    assert str(error).startswith(
        'x.txt line 7: expected a byline "By AUTHOR - PUBLICATION, DATE" after the heading'
    )


def test_byline_without_publication_is_missing_byline() -> None:
    error = parse_error("A heading\n\nBy Ann Author, March 3, 2017\n\nProse.\n")
    assert error.line == 3
    assert "expected a byline" in error.message


def test_bad_date() -> None:
    error = parse_error(GOOD + "\nSecond\n\nBy Bo - Paper, Smarch 45, 2017\n\nText.\n")
    assert error.line == 9
    assert 'cannot read the date "Smarch 45, 2017"' in str(error)
    error = parse_error("T\n\nBy Bo - Paper, February 30, 2017\n\nText.\n")
    assert error.line == 3


def test_empty_file() -> None:
    for text in ("", "\n\n  \n"):
        error = parse_error(text, "empty.txt")
        assert (error.path, error.line) == ("empty.txt", 1)
        assert str(error).startswith("empty.txt line 1: the file is empty")


def test_only_chrome() -> None:
    error = parse_error("You are here\n\nmovement politics\n\nPages")
    assert error.line == 5


def test_heading_at_end_of_file() -> None:
    error = parse_error("You are here\n\nmovement politics\n\nLonely heading\n")
    assert error.line == 5
    assert "the file ends" in str(error)
    assert parse_error("\n\nLonely heading").line == 3


def test_article_without_paragraphs() -> None:
    error = parse_error("A heading\n\nBy Ann - Paper, March 3, 2017\n\nPages\n")
    assert error.line == 3
    assert "no paragraphs" in error.message


def test_load_folder_keeps_good_files_and_reports_bad_ones(tmp_path: Path) -> None:
    folder = tmp_path / "seeds"
    folder.mkdir()
    (folder / SEED_NAME).write_bytes(SEED.read_bytes())
    (folder / "001_bad.txt").write_text("Heading\n\nNo byline here.\n", encoding="utf-8")
    (folder / "notes.md").write_text("not a texts file", encoding="utf-8")
    articles, errors = load_folder(folder)
    assert len(articles) == 10
    assert {a.source for a in articles} == {SEED_NAME}
    assert len(errors) == 1
    assert errors[0].path == "seeds/001_bad.txt"
    assert errors[0].line == 3
    assert str(errors[0]).startswith("seeds/001_bad.txt line 3: expected a byline")


def test_load_folder_slugs_unique_across_files(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "b.txt").write_text(GOOD.replace("March 3", "March 1"), encoding="utf-8")
    (tmp_path / "c.txt").write_bytes(b"Heading\n\n\xff\xfe\n")
    articles, errors = load_folder(tmp_path)
    # b.txt is earlier by date but later by file name, so it gets the suffix.
    assert [(a.source, a.slug) for a in articles] == [
        ("b.txt", "first-heading-2"),
        ("a.txt", "first-heading"),
    ]
    assert [(e.path, e.line) for e in errors] == [(f"{tmp_path.name}/c.txt", 3)]


def test_load_folder_missing_folder(tmp_path: Path) -> None:
    articles, errors = load_folder(tmp_path / "nope")
    assert articles == []
    assert len(errors) == 1
