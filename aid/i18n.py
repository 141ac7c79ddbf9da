"""Interface languages: choosing one per request, and compiling the catalogues.

The `.po` files are the source; `.mo` files are build output, compiled at start-up when a
catalogue is newer than its compiled form, so nothing binary is committed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import flask_babel
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Flask, current_app, request, session
from flask_login import current_user

from aid.labels import locale_now
from aid.network.service import current_settings

TRANSLATIONS = Path(__file__).resolve().parent / "translations"


def select_locale() -> str:
    offered = current_settings().language_list or ["en"]
    chosen = session.get("locale")
    if not chosen and current_user and current_user.is_authenticated:
        chosen = current_user.locale
    if chosen in offered:
        return chosen
    best = request.accept_languages.best_match(offered)
    return best or current_app.config["BABEL_DEFAULT_LOCALE"]


def compile_catalogues(folder: Path = TRANSLATIONS) -> list[Path]:
    compiled = []
    for po_path in folder.glob("*/LC_MESSAGES/messages.po"):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as fh:
            catalog = read_po(fh)
        tmp = mo_path.with_suffix(".mo.tmp")
        with tmp.open("wb") as fh:
            write_mo(fh, catalog)
        tmp.replace(mo_path)
        compiled.append(mo_path)
    return compiled


# Flask-Babel finds the catalogue again on every `_()`: the context on `g`, the locale, the
# domain, its cache, a dozen proxy lookups each time, a few hundred times a page (a quarter
# of the board's rendering). The catalogues never change while the process runs, so once a
# request's locale is known its catalogue is one dict lookup away.
_BY_LOCALE: dict[str, Any] = {}


def translations() -> Any:
    """The catalogue for the locale in force now (the request's, or a `force_locale`)."""
    locale = locale_now()
    if locale is not None:
        found = _BY_LOCALE.get(locale)
        if found is not None:
            return found
    found = flask_babel.Domain.get_translations(flask_babel.get_domain())
    locale = locale_now()
    if locale is not None:
        _BY_LOCALE[locale] = found
    return found


def install(app: Flask, babel: flask_babel.Babel) -> None:
    """Route templates' `_()` and Python's `gettext`/lazy labels through `translations`."""
    with app.app_context():  # the domain is made from the app's settings, once
        babel.domain_instance.get_translations = translations
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lambda s: translations().ugettext(s),
        ngettext=lambda s, p, n: translations().ungettext(s, p, n),
        pgettext=lambda c, s: translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: translations().unpgettext(c, s, p, n),
        newstyle=True)
