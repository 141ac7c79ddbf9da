from __future__ import annotations

from xml.etree import ElementTree as ET

from aid.board import moderation
from aid.board.models import PostStatus
from aid.extensions import limiter

ATOM = "{http://www.w3.org/2005/Atom}"


def test_the_board_shows_open_posts_newest_first(client, make_post):
    make_post("Older offer of rice", age_minutes=60)
    make_post("Newest need for a ride", kind="need", category="transport")
    make_post("Still waiting", status=PostStatus.PENDING)
    make_post("Already given away", status=PostStatus.FULFILLED)
    make_post("Taken down", status=PostStatus.HIDDEN)
    html = client.get("/board").get_data(as_text=True)
    assert html.index("Newest need for a ride") < html.index("Older offer of rice")
    for hidden in ("Still waiting", "Already given away", "Taken down"):
        assert hidden not in html
    assert "2 open posts" in html


def test_closed_or_waiting_posts_have_no_public_page(client, make_post):
    waiting, _ = make_post("Still waiting", status=PostStatus.PENDING)
    done, _ = make_post("Done", status=PostStatus.FULFILLED)
    assert client.get(f"/board/{waiting.id}").status_code == 404
    assert client.get(f"/board/{done.id}").status_code == 404
    assert client.get(f"/board/{waiting.id}/respond").status_code == 404


def test_filters_by_kind_category_and_area(client, make_post, areas):
    make_post("Rice in Eastside", kind="offer", category="food", area="Eastside")
    make_post("Ride to clinic", kind="need", category="transport", area="Eastside")
    make_post("Rice in Riverside", kind="offer", category="food", area="Riverside")
    html = client.get(f"/board?kind=offer&category=food&area={areas['Eastside'].id}").get_data(
        as_text=True)
    assert "Rice in Eastside" in html
    assert "Ride to clinic" not in html and "Rice in Riverside" not in html
    html = client.get("/board?kind=need").get_data(as_text=True)
    assert "Ride to clinic" in html and "Rice in Eastside" not in html


def test_search_finds_words_whatever_their_case_accents_or_plural(client, make_post):
    make_post("Pañal talla 3", description="Un paquete de pañal para bebé.")
    make_post("Winter coats", description="Two warm coats, adult size.")
    make_post("Ride to the clinic", kind="need", category="transport")
    html = client.get("/board?q=PANAL").get_data(as_text=True)
    assert "Pañal talla 3" in html and "Winter coats" not in html
    html = client.get("/board?q=coat+warm").get_data(as_text=True)
    assert "Winter coats" in html and "Pañal" not in html
    html = client.get("/board?q=coat+clinic").get_data(as_text=True)
    assert "No open posts match" in html  # every word must match


def test_search_follows_an_edit(client, make_post):
    from aid.board import service

    post, _ = make_post("Old title")
    service.edit_post(post, service.PostInput("food", post.area_id, "Fresh tortillas",
                                              "Made this morning"), by_coordinator=True)
    assert "Fresh tortillas" in client.get("/board?q=tortilla").get_data(as_text=True)
    assert "No open posts match" in client.get("/board?q=old").get_data(as_text=True)


def test_pages_of_posts(app, client, make_post):
    for n in range(30):
        make_post(f"Offer number {n:02d}", age_minutes=100 - n)
    first = client.get("/board").get_data(as_text=True)
    assert "Offer number 29" in first and "Offer number 04" not in first
    assert "Page 1 of 2" in first
    second = client.get("/board?page=2").get_data(as_text=True)
    assert "Offer number 04" in second and "Offer number 29" not in second


def test_no_contact_and_no_name_unless_the_poster_chose_to_show_one(client, make_post):
    quiet, _ = make_post("Quiet offer", contact="+15550100123")
    named, _ = make_post("Named offer", first_name="Lucía", contact="lucia@example.org")
    html = client.get("/board").get_data(as_text=True) + client.get(
        f"/board/{quiet.id}").get_data(as_text=True) + client.get(
        f"/board/{named.id}").get_data(as_text=True)
    assert "5550100123" not in html and "lucia@example.org" not in html
    assert "Lucía" in html
    assert html.count("Lucía") == 2  # on the list and on its own page, never on the other


def test_hostile_text_is_shown_as_text(client, make_post):
    evil = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    post, _ = make_post(evil, description="Line one\x00\x07\u202eenil\nLine two " + "A" * 1900,
                        first_name="<b>Bob</b>")
    for path in ("/board", f"/board/{post.id}", "/board/feed.atom"):
        body = client.get(path).get_data(as_text=True)
        assert "<script>" not in body and "<img src=x" not in body and "<b>Bob" not in body
        assert "\x00" not in body and "\x07" not in body and "\u202e" not in body
    html = client.get(f"/board/{post.id}").get_data(as_text=True)
    assert "&lt;script&gt;" in html and "Line one" in html and "Line two" in html


def test_huge_input_is_refused_politely(aid_test, client, areas):

    response = aid_test.post_form(client, "/board/new", {
        "kind": "need", "category": "food", "area": str(areas["Eastside"].id),
        "title": "t" * 5000, "description": "d" * 100_000, "expiry_days": "14"})
    assert response.status_code == 400
    assert "longer than" in response.get_data(as_text=True)
    assert client.post("/board/new", data={"description": "x" * 600_000}).status_code == 413


def test_the_atom_feed_lists_open_posts_only(client, make_post):
    make_post("Groceries & more <for> everyone", first_name="Ana", contact="+15550100123")
    make_post("Not yet approved", status=PostStatus.PENDING)
    response = client.get("/board/feed.atom")
    assert response.mimetype == "application/atom+xml"
    root = ET.fromstring(response.data)  # noqa: S314 (our own output; must be well-formed)
    titles = [e.findtext(f"{ATOM}title") for e in root.iter(f"{ATOM}entry")]
    assert titles == ["Offer: Groceries & more <for> everyone"]
    assert b"5550100123" not in response.data and b"Ana" not in response.data
    assert root.find(f"{ATOM}entry/{ATOM}link").get("href").startswith("http")


def test_a_flood_of_flags_is_rate_limited(aid_test, client, make_post):

    post, _ = make_post()
    codes = [aid_test.post_form(client, f"/board/{post.id}/flag", {"reason": "spam"}).status_code
             for _ in range(12)]
    assert codes[:10] == [302] * 10 and codes[-1] == 429


def test_only_routes_with_limits_consult_the_rate_limiter(aid_test, client, make_post,
                                                          monkeypatch):
    post, _ = make_post()
    looked_up: list[str] = []
    resolve = limiter.limit_manager.resolve_limits

    def spy(app, endpoint, *args, **kwargs):
        looked_up.append(endpoint)
        return resolve(app, endpoint, *args, **kwargs)

    monkeypatch.setattr(limiter.limit_manager, "resolve_limits", spy)
    for path in ("/healthz", "/board", f"/board/{post.id}", "/board/feed.atom"):
        assert client.get(path).status_code == 200
    assert looked_up == []
    codes = [aid_test.post_form(client, f"/board/{post.id}/flag", {"reason": "spam"}).status_code
             for _ in range(11)]
    assert "board.flag" in looked_up and codes[-1] == 429


def test_search_results_page_newer_and_older(client, make_post):
    for n in range(30):
        make_post(f"Rice bag {n:02d}", age_minutes=100 - n)
    make_post("Beans only", description="Black beans, dried.")
    first = client.get("/board?q=rice").get_data(as_text=True)
    assert "Rice bag 29" in first and "Rice bag 04" not in first and "Beans only" not in first
    assert "Older" in first and "Newer" not in first
    second = client.get("/board?q=rice&page=2").get_data(as_text=True)
    assert "Rice bag 04" in second and "Rice bag 29" not in second
    assert "Newer" in second and "Older" not in second


def test_the_board_speaks_spanish(aid_test, client, make_post):

    post, _ = make_post("Arroz y frijoles", kind="need")
    aid_test.post_form(client, "/language", {"lang": "es", "next": "/board"})
    html = client.get("/board").get_data(as_text=True)
    assert "Necesidades y ofertas" in html and "1 publicación abierta" in html
    assert "Puedo ayudar" in client.get(f"/board/{post.id}").get_data(as_text=True)


def test_the_count_of_open_posts_follows_each_change_at_once(client, make_post):
    """The count is kept a few seconds between visitors, and dropped by any change."""
    for n in range(3):
        make_post(f"Offer {n}")
    assert "3 open posts" in client.get("/board?area=").get_data(as_text=True)
    assert "3 open posts" in client.get("/board?kind=").get_data(as_text=True)  # kept count
    post, _token = make_post("Offer 3")
    assert "4 open posts" in client.get("/board?kind=").get_data(as_text=True)
    moderation.hide(post)
    assert "3 open posts" in client.get("/board?kind=").get_data(as_text=True)


def test_the_board_filters_show_the_choice_in_force(client, make_post):
    make_post("Bag of rice", kind="need")  # the filters are kept rendered per choice
    assert 'value="need" selected' not in client.get("/board").get_data(as_text=True)
    assert 'value="need" selected' in client.get("/board?kind=need").get_data(as_text=True)
    assert 'value="offer" selected' in client.get("/board?kind=offer").get_data(as_text=True)
