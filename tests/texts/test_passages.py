"""Every feature's "why this exists" line quotes a real passage and links straight to it."""

from __future__ import annotations

import html as html_lib
from pathlib import Path

from flask import render_template_string

from aid.texts.parser import load_folder
from aid.texts.passages import PASSAGES, passage, resolve_all

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
FEATURES = {"home", "hotline", "volunteers", "shifts", "board", "alerts"}


def test_every_feature_has_a_passage_and_each_resolves_in_the_real_file():
    assert set(PASSAGES) == FEATURES
    articles, _ = load_folder(SEEDS)
    found, problems = resolve_all(articles)
    assert problems == [] and set(found) == FEATURES
    for key, resolved in found.items():
        article = next(a for a in articles if a.slug == resolved.slug)
        index = int(resolved.anchor.removeprefix("p"))
        # Shown exactly as the article has it, so the quote is never a paraphrase.
        assert resolved.quote in article.paragraphs[index - 1], key


def test_every_link_opens_the_article_at_a_paragraph_holding_the_quote(client):
    for key in sorted(FEATURES):
        resolved = passage(key)
        with client.application.test_request_context():
            url = resolved.url
        path, anchor = url.split("#")
        response = client.get(path)
        assert response.status_code == 200, key
        html = html_lib.unescape(response.get_data(as_text=True))
        start = html.index(f'<p id="{anchor}">')
        assert resolved.quote in html[start : html.index("</p>", start)], key


def test_the_passages_behind_the_features_are_the_ones_that_call_for_them():
    articles, _ = load_folder(SEEDS)
    found, _ = resolve_all(articles)
    assert "hotlines" in found["hotline"].quote
    assert "exclude informants" in found["volunteers"].quote
    assert "signed up to accompany" in found["shifts"].quote
    assert "ask for or offer help" in found["board"].quote
    assert "early warning system" in found["alerts"].quote
    assert found["alerts"].title == "Solidarity Politics to Resist the Coming Regime"


def test_why_works_as_a_global_and_as_an_imported_macro(app):
    with app.test_request_context("/"):
        as_global = render_template_string("{{ why('alerts') }}")
        imported = render_template_string(
            '{% from "macros/texts.html" import why %}{{ why("board") }}'
        )
        unknown = render_template_string("{{ why('no-such-feature') }}")
    assert "Why this exists:" in as_global
    assert '<q lang="en">We need an early warning system.</q>' in as_global
    assert 'href="/about/texts/solidarity-politics-to-resist-the-coming-regime#p2"' in as_global
    assert "what’s happening to others, and can ask for or offer help." in imported
    assert unknown.strip() == ""


def test_every_quote_has_its_translation_in_the_catalogue(app):
    from aid.texts.passages import PASSAGES

    with app.test_request_context("/", headers={"Accept-Language": "es"}):
        from flask_babel import gettext, refresh

        refresh()
        missing = [key for key, (_slug, quote) in PASSAGES.items() if gettext(quote) == quote]
    assert missing == []


def test_an_english_reader_sees_the_quote_once_without_a_disclosure(app):
    with app.test_request_context("/"):
        html = render_template_string("{{ why('alerts') }}")
    assert html.count("We need an early warning system.") == 1 and "<details>" not in html
