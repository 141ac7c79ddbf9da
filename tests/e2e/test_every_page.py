"""Every page, as every kind of person, in English and Spanish, on a phone and on a laptop.

A demo network is walked by following the links each person is shown (at most a few pages per
route), so detail pages are reached with real data. Each page must:
- not be wider than the screen (the document's scroll width within the viewport's width);
- pass every axe-core rule (the npm package, installed by `make axe` into node_modules/);
- on a Spanish page, show no interface label in English and no raw code (such as "applied").

One browser, one context per person and language, one page reused: the walk is the slow part
of the suite, so each page is loaded once and measured at both sizes.
"""

from __future__ import annotations

import re
import time
from collections import defaultdict
from enum import StrEnum
from pathlib import Path
from urllib.parse import urlsplit

import pyotp
import pytest
from babel.messages.pofile import read_po
from playwright.sync_api import Browser, Page
from playwright.sync_api import Error as PlaywrightError
from werkzeug.exceptions import HTTPException

from aid.alerts import models as alert_models
from aid.auth import models as auth_models
from aid.auth import service as accounts
from aid.board import models as board_models
from aid.demo import DEMO_PASSWORD, create_demo
from aid.extensions import db
from aid.hotline import models as hotline_models
from aid.i18n import TRANSLATIONS
from aid.network.service import LANGUAGE_NAMES
from aid.security import access
from aid.security.access import Level
from aid.shifts import models as shift_models
from aid.volunteers.choices import LANGUAGE_LABELS as ENDONYMS
from tests.e2e.pages import STEP_TIMEOUT_MS

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SIZES = [(360, 740), (1280, 900)]
PER_ROUTE = 1  # pages visited per route, person and language
PEOPLE = {
    Level.ANONYMOUS: None,
    Level.APPLIED: "newcomer@demo.example",
    Level.VETTED: "rosa@demo.example",
    Level.COORDINATOR: "coord@demo.example",
    Level.ADMIN: "admin@demo.example",
}
# Routes that end the walker's own session or are not pages.
NOT_PAGES = {"static", "auth.logout", "core.set_language", "sms.inbound", "sms.status",
             "core.health", "alerts.feed_cap", "alerts.feed_atom", "alerts.cap", "voice.play"}

# Text found in the page and its attributes, outside anything marked as another language
# (the language buttons, an original quotation) and outside what people typed.
TEXTS_JS = """() => {
  const out = [];
  const skip = el => el.closest('[lang]:not([lang|="es"]), script, style, template, .user-text');
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (n.parentElement && !skip(n.parentElement)) out.push(n.textContent);
  }
  for (const el of document.querySelectorAll(
      '[aria-label], [title], [placeholder], [alt], input[type=submit][value]')) {
    if (skip(el)) continue;
    for (const a of ['aria-label', 'title', 'placeholder', 'alt']) {
      if (el.hasAttribute(a)) out.push(el.getAttribute(a));
    }
    if (el.matches('input[type=submit]')) out.push(el.value);
  }
  out.push(document.title);
  return out;
}"""
OVERFLOW_JS = """() => {
  const root = document.documentElement;
  if (root.scrollWidth <= window.innerWidth) return null;
  const wide = [...document.body.querySelectorAll('*')]
    .filter(el => el.getBoundingClientRect().right > window.innerWidth + 1)
    .map(el => el.tagName.toLowerCase() + (el.className ? '.' + el.className : ''));
  return root.scrollWidth + ' px: ' + wide.slice(-4).join(', ');
}"""
# Every rule on a phone; on a laptop only the rules whose outcome depends on the layout.
WIDE_RULES = ["scrollable-region-focusable", "target-size", "color-contrast", "region",
              "landmark-one-main", "meta-viewport"]
AXE_JS = """async (rules) => {
  const options = {resultTypes: ['violations']};
  if (rules) options.runOnly = {type: 'rule', values: rules};
  const r = await axe.run(document, options);
  return r.violations.map(v => v.id + ' (' + v.impact + '): ' +
    v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '));
}"""


def english_labels() -> set[str]:
    """Interface strings whose Spanish differs, as they would show untranslated."""
    with (TRANSLATIONS / "es" / "LC_MESSAGES" / "messages.po").open("rb") as fh:
        catalog = read_po(fh)
    labels = set()
    for message in catalog:
        if not message.id or isinstance(message.id, tuple) or "%(" in message.id:
            continue
        if message.string and message.string != message.id and len(message.id) > 2:
            labels.add(message.id.strip())
    # Where a person picks their language, each is named in itself on purpose ("English",
    # "Español"): a speaker finds their own whatever the page's language.
    return labels - set(LANGUAGE_NAMES.values()) - set(ENDONYMS.values())


def raw_codes() -> set[str]:
    """The stored values of every choice a page shows (roles, states, kinds...)."""
    codes: set[str] = set()
    for module in (auth_models, hotline_models, shift_models, board_models, alert_models):
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, StrEnum) and value is not StrEnum:
                codes.update(member.value for member in value)
    codes.update(f"{day}-{part}" for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
                 for part in ("am", "pm", "eve"))
    # Codes that read the same in Spanish, or are names rather than words.
    return {c for c in codes if c not in {"sms", "admin", "normal"}}


def pieces(text: str) -> list[str]:
    """A text node split where pages join short labels ("volunteer · applied", "Status:")."""
    parts = re.split(r"\s+[·|—]\s+|\s*\n\s*", text)
    return [p.strip().rstrip(":").strip() for p in parts if p.strip()]


def sign_in(page: Page, app, base: str, email: str) -> None:
    page.goto(f"{base}/login")
    page.fill("#email", email)
    page.fill("#password", DEMO_PASSWORD)
    page.click("button[type=submit].primary")
    account = accounts.find_by_email(email)
    db.session.refresh(account)
    if account.totp_secret:
        totp = pyotp.TOTP(account.totp_secret)
        step = max(totp.timecode(time.time()), (account.totp_last_step or 0) + 1)
        page.fill("#code", totp.generate_otp(step))
        page.click("button[type=submit].primary")
    assert "/login" not in page.url, f"{email} could not sign in"


def choose_language(page: Page, code: str) -> None:
    page.locator(f"form.lang button[value={code}]").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == code


@pytest.fixture
def demo_app(app):
    list(create_demo())
    db.session.commit()
    return app


@pytest.mark.walk
def test_every_page_fits_a_phone_passes_axe_and_speaks_spanish(
        demo_app, live_server, browser: Browser):
    app, base = demo_app, live_server
    levels = access.rules(app)  # who may see what, as the views declare it
    adapter = app.url_map.bind("127.0.0.1")
    labels, codes = english_labels(), raw_codes()
    axe = AXE.read_text(encoding="utf-8")
    problems: list[str] = []
    seen_routes: dict[Level, set[str]] = defaultdict(set)
    views = 0

    def route_of(url: str) -> tuple[str, str] | None:
        parts = urlsplit(url)
        if parts.netloc != urlsplit(base).netloc:
            return None
        try:
            endpoint, _args = adapter.match(parts.path, method="GET")
        except HTTPException:
            return None
        return endpoint, parts.path

    for level, email in PEOPLE.items():
        context = browser.new_context(locale="en-US", bypass_csp=True,
                                      viewport=dict(zip(("width", "height"), SIZES[0],
                                                        strict=True)))
        page = context.new_page()
        page.set_default_timeout(STEP_TIMEOUT_MS)
        if email:
            sign_in(page, app, base, email)
        # Start from every page of this person's that needs no argument, then follow links.
        queue = [adapter.build(rule.endpoint) for rule in app.url_map.iter_rules()
                 if "GET" in (rule.methods or ()) and not rule.arguments
                 and rule.endpoint not in NOT_PAGES and levels.get(rule.endpoint, 99) <= level]
        visited: set[str] = set()
        per_route: dict[str, int] = defaultdict(int)
        found: list[str] = []
        for lang in ("en", "es"):
            page.goto(base + "/")
            choose_language(page, lang)
            todo = list(queue) if lang == "en" else list(found)
            while todo:
                path = todo.pop(0)
                if lang == "en":
                    if path in visited:
                        continue
                    match = route_of(base + path)
                    if not match or match[0] in NOT_PAGES or per_route[match[0]] >= PER_ROUTE:
                        continue
                    visited.add(path)
                    per_route[match[0]] += 1
                    seen_routes[level].add(match[0])
                    found.append(path)
                try:
                    response = page.goto(base + path)
                except PlaywrightError as error:  # a download (the export of one's data)
                    assert "Download is starting" in str(error), error
                    continue
                signed_out = "/login" in page.url and "/login" not in path
                if (response is None or response.status >= 400 or signed_out
                        or "text/html" not in response.headers.get("content-type", "")):
                    continue  # refusals are the access walk's business (tests/security)
                where = f"{level.name.lower()} {lang} {path}"
                page.add_script_tag(content=axe)
                for width, height in SIZES:
                    page.set_viewport_size({"width": width, "height": height})
                    views += 1
                    wide = page.evaluate(OVERFLOW_JS)
                    if wide:
                        problems.append(f"{where} at {width} px is {wide}")
                    rules = None if width == SIZES[0][0] else WIDE_RULES
                    for violation in page.evaluate(AXE_JS, rules):
                        problems.append(f"{where} at {width} px: axe {violation}")
                page.set_viewport_size({"width": SIZES[0][0], "height": SIZES[0][1]})
                if lang == "es":
                    english = sorted({p for text in page.evaluate(TEXTS_JS)
                                      for p in pieces(text) if p in labels or p in codes})
                    if english:
                        problems.append(f"{where}: untranslated {english}")
                else:
                    for href in page.eval_on_selector_all(
                            "a[href]", "links => links.map(a => a.href)"):
                        link = route_of(href)
                        if link and link[1] not in visited:
                            todo.append(link[1] + (("?" + urlsplit(href).query)
                                                   if urlsplit(href).query else ""))
        context.close()

    for level in PEOPLE:
        open_routes = {rule.endpoint for rule in app.url_map.iter_rules()
                       if "GET" in (rule.methods or ()) and not rule.arguments
                       and rule.endpoint not in NOT_PAGES and levels.get(rule.endpoint) == level}
        missing = open_routes - seen_routes[level]
        assert not missing, f"{level.name} never asked for {sorted(missing)}"
    assert views > 200
    assert not problems, f"{len(problems)} problems in {views} page views:\n" + "\n".join(
        problems)
