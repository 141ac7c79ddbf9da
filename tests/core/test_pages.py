from __future__ import annotations


def test_health_check_answers_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


def test_home_page_introduces_the_network_and_offers_both_languages(client):
    html = client.get("/").get_data(as_text=True)
    assert "have each other" in html
    assert 'value="es"' in html and "Español" in html


def test_language_switch_turns_the_interface_to_spanish(aid_test, client):
    response = aid_test.post_form(client, "/language", {"lang": "es", "next": "/login"})
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    html = client.get("/login").get_data(as_text=True)
    assert '<html lang="es">' in html
    assert "Iniciar sesión" in html


def test_language_switch_refuses_to_redirect_off_site(aid_test, client):
    response = aid_test.post_form(client, "/language", {"lang": "es", "next": "//evil.example/"})
    assert response.headers["Location"] == "/"


def test_unknown_page_gets_the_sites_own_404(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert "Page not found" in html and 'href="/static/aid.css' in html


def test_oversized_request_gets_a_styled_413(client):
    response = client.post("/login", data={"email": "x" * 600_000})
    assert response.status_code == 413
    assert "too much text" in response.get_data(as_text=True)


def test_form_without_csrf_token_is_refused(client):
    response = client.post("/language", data={"lang": "es"})
    assert response.status_code == 400
    assert "form may have expired" in response.get_data(as_text=True)


def test_a_crash_gets_the_styled_500_page(app_factory):
    app = app_factory()
    app.config["PROPAGATE_EXCEPTIONS"] = False

    def broken() -> str:
        raise RuntimeError("boom")

    from aid.security import access
    from aid.security.access import Level

    app.add_url_rule("/broken", "broken", access.rule(Level.PUBLIC)(broken))
    response = app.test_client().get("/broken")
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.get_data(as_text=True)


def test_development_server_log_lines_carry_no_client_address(capsys):
    from aid.commands import AddresslessRequestHandler

    handler = AddresslessRequestHandler.__new__(AddresslessRequestHandler)
    handler.client_address = ("203.0.113.77", 51234)
    handler.command, handler.path = "GET", "/help/status?code=HX7-4KQ"
    handler.log_request(200)
    line = capsys.readouterr().err
    assert "GET /help/status" in line and "200" in line
    assert "203.0.113.77" not in line and "HX7-4KQ" not in line
    for secret_path, shown in (("/board/manage/q8Zr2mB5xT0kLw9aPc3VnE7s", "/board/manage/…"),
                               ("/calendar/Ab3dEf6hIj9kLm2nOp5q.ics", "/calendar/….ics"),
                               ("/help/s/Zx9y8w7v6u5t4s3r2q1p0o", "/help/s/…")):
        handler.path = secret_path
        handler.log_request(200)
        line = capsys.readouterr().err
        assert shown in line and secret_path.rsplit("/", 1)[1] not in line
