"""Strict headers on every response, cookies that fit the transport, no inline code anywhere."""

from __future__ import annotations

import re
from pathlib import Path

from aid.security.headers import CSP

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def test_every_page_sends_the_strict_policy_and_is_not_cached(client):
    for path in ("/", "/login", "/no-such-page"):
        response = client.get(path)
        headers = response.headers
        policy = headers["Content-Security-Policy"]
        for directive in ("default-src 'self'", "object-src 'none'", "base-uri 'none'",
                          "form-action 'self'", "frame-ancestors 'none'"):
            assert directive in policy
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
        assert headers["Referrer-Policy"] == "no-referrer"
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Cache-Control"] == "no-store"
        assert "Strict-Transport-Security" not in headers  # plain http in development


def test_policy_allows_nothing_from_other_sites():
    assert "http" not in CSP and "*" not in CSP


def test_signed_in_pages_are_not_cached(aid_test, client, make_user):
    aid_test.sign_in(client, make_user("admin"))
    assert client.get("/admin/users").headers["Cache-Control"] == "no-store"


def test_over_https_cookies_are_host_only_and_secure_and_hsts_is_sent(app_factory):
    app = app_factory(AID_PUBLIC_URL="https://aid.example.org")
    client = app.test_client()
    response = client.get("/login", base_url="https://aid.example.org")
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("__Host-aid=")
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Path=/" in cookie and "Domain" not in cookie
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_development_cookie_works_over_plain_http(client):
    cookie = client.get("/login").headers["Set-Cookie"]
    assert cookie.startswith("aid=") and "Secure" not in cookie and "HttpOnly" in cookie


# Files Aid hands out to be opened away from it (the offline phone tree, decrypted on a
# coordinator's computer): never served as a page, they carry their print styles inside.
STANDALONE_FILES = {"phone_tree_print.html"}


def test_no_template_has_inline_script_style_or_third_party_asset():
    for path in TEMPLATES.rglob("*.html"):
        html = path.read_text()
        assert not re.search(r"<script(?![^>]*\bsrc=)", html), f"inline script in {path}"
        if path.name not in STANDALONE_FILES:
            assert "style=" not in html and "<style" not in html, f"inline style in {path}"
        assert not re.search(r"""(src|href)=["']https?://""", html), f"third party in {path}"
        assert not re.search(r"\bon[a-z]+=", html), f"inline event handler in {path}"
