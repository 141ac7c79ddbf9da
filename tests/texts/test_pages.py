"""The founding-texts pages, in both interface languages, and what a bad file does to them."""

from __future__ import annotations

import html as html_lib
import logging
import re
import shutil
from pathlib import Path

from aid.auth.models import Role
from aid.texts import service
from aid.texts.parser import load_folder

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"
ROGERS = "/about/texts/solidarity-politics-to-resist-the-coming-regime"


def page(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return html_lib.unescape(response.get_data(as_text=True))


def test_contents_list_every_article_with_author_publication_and_date(client):
    html = page(client, "/about/texts")
    articles, errors = load_folder(SEEDS)
    assert len(articles) == 10 and not errors
    for article in articles:
        assert f'href="/about/texts/{article.slug}"' in html
        assert article.title in html
        assert f"{article.authors_text} · {article.publication} · " in html
    # The one byline with only a month is shown as written, not as "December 1, 2016".
    assert '<time datetime="2016-12">December 2016</time>' in html
    assert "December 1, 2016" not in html
    assert "Helena Norberg-Hodge and Rupert Read" in html


def test_article_page_has_an_anchor_and_a_section_link_on_every_paragraph(client):
    html = page(client, ROGERS)
    assert "<h1>Solidarity Politics to Resist the Coming Regime</h1>" in html
    assert "Deborah S. Rogers · Common Dreams · " in html
    ids = re.findall(
        r'<p id="p(\d+)"><a class="para" lang="en" href="#p(\d+)"[^>]*>§\xa0(\d+)</a>', html
    )
    assert [int(n) for n, _, _ in ids] == list(range(1, 9))
    assert all(a == b == c for a, b, c in ids)
    assert "We need hotlines, safe houses, support groups" in html
    assert "All founding texts" in html


def test_unknown_article_is_the_sites_404(client):
    response = client.get("/about/texts/no-such-article")
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)


def test_footer_links_the_founding_texts_on_every_page(client):
    for path in ("/", "/login", "/about/texts"):
        assert '<a href="/about/texts">Founding texts</a>' in page(client, path)


def test_home_introduces_the_network_with_the_founding_texts(client):
    html = page(client, "/")
    assert "Why this network exists" in html
    assert "Why this exists:" in html
    assert "Polish activists formed a loose network" in html
    assert re.search(r'href="/about/texts/social-self-defense-[a-z-]+#p\d+"', html)
    assert '<a href="/about/texts">Read the founding texts</a>' in html


def test_spanish_interface_keeps_the_texts_in_english(aid_test, client):
    aid_test.post_form(client, "/language", {"lang": "es", "next": "/"})
    home = page(client, "/")
    assert '<html lang="es">' in home
    assert "Por qué existe esta red" in home and "Por qué existe:" in home
    assert '<q lang="es">Activistas polacos formaron una red informal' in home
    assert "<summary>Original en inglés</summary>" in home  # the English one tap away
    assert '<q lang="en">Polish activists formed a loose network' in home
    assert "Léalo en su contexto: «SOCIAL SELF-DEFENSE" in home
    assert '<a href="/about/texts">Textos fundacionales</a>' in home

    contents = page(client, "/about/texts")
    assert "<h1>Textos fundacionales</h1>" in contents and "inglés original" in contents
    assert "Deborah S. Rogers · Common Dreams · " in contents

    article = page(client, ROGERS)
    assert "Todos los textos fundacionales" in article
    assert '<article class="text" lang="en">' in article
    assert 'lang="es" href="#p2" title="Enlace a este párrafo">§\xa02</a> First, we need' in article


def test_texts_are_read_once_at_start_not_per_request(client, monkeypatch):
    def fail(_folder):
        raise AssertionError("texts re-read during a request")

    monkeypatch.setattr(service, "load_folder", fail)
    assert "Winter of Dissent" in page(client, "/about/texts")
    assert "The Establishment is at war" in page(client, "/about/texts/winter-of-dissent")


def _seeds_with_bad_file(tmp_path: Path) -> Path:
    folder = tmp_path / "seeds"
    folder.mkdir()
    shutil.copy(next(SEEDS.glob("*.txt")), folder)
    (folder / "zz_extra.txt").write_text(
        "A good heading\n\nBy Ann Author - Some Paper, March 3, 2017\n\nFine.\n\n"
        "A broken heading\n\nBy Bob Writer - Some Paper, Smarch 40, 2017\n\nText.\n",
        encoding="utf-8",
    )
    return folder


def test_malformed_file_is_logged_with_file_and_line_and_the_site_stays_up(
    app_factory, tmp_path, caplog
):
    with caplog.at_level(logging.ERROR):
        app = app_factory(AID_SEEDS_DIR=str(_seeds_with_bad_file(tmp_path)))
    logged = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR]
    assert len(logged) == 1
    assert "seeds/zz_extra.txt line 9" in logged[0] and "cannot read the date" in logged[0]

    client = app.test_client()
    assert page(client, "/").count('class="why"') == 1
    contents = page(client, "/about/texts")
    assert contents.count('<li lang="en">') == 10  # the good file's articles are all there
    assert "A good heading" not in contents  # the bad file is left out whole
    assert "could not be read" not in contents  # file names are for admins only


def test_admin_sees_which_file_and_line_could_not_be_read(aid_test, app_factory, make_user,
                                                          tmp_path):
    app = app_factory(AID_SEEDS_DIR=str(_seeds_with_bad_file(tmp_path)))
    client = app.test_client()
    with app.app_context():  # this app's own keys encrypt the account
        aid_test.sign_in(client, make_user(Role.ADMIN))
        contents = page(client, "/about/texts")
    assert "Some founding-text files could not be read" in contents
    assert "<code>seeds/zz_extra.txt line 9: cannot read the date" in contents


def test_replaced_texts_without_the_mapped_passages_hide_the_why_line(
    app_factory, tmp_path, caplog
):
    folder = tmp_path / "own"
    folder.mkdir()
    (folder / "ours.txt").write_text(
        "Our own story\n\nBy Ann Author - Neighbourhood News, March 3, 2017\n\nWe started.\n",
        encoding="utf-8",
    )
    with caplog.at_level(logging.WARNING):
        app = app_factory(AID_SEEDS_DIR=str(folder))
    assert any("passage for 'home'" in r.getMessage() for r in caplog.records)
    client = app.test_client()
    home = page(client, "/")
    assert 'class="why"' not in home and "Read the founding texts" in home
    assert "Our own story" in page(client, "/about/texts")
    assert "We started." in page(client, "/about/texts/our-own-story")


def test_missing_texts_folder_leaves_an_empty_contents_page(app_factory, tmp_path, caplog):
    with caplog.at_level(logging.ERROR):
        app = app_factory(AID_SEEDS_DIR=str(tmp_path / "nowhere"))
    assert any("texts folder not found" in r.getMessage() for r in caplog.records)
    assert "No founding texts have been added yet." in page(app.test_client(), "/about/texts")
