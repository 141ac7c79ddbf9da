"""Interface languages: choosing one per request, and compiling the catalogues.

The `.po` files are the source; `.mo` files are build output, compiled at start-up when a
catalogue is newer than its compiled form, so nothing binary is committed.
"""

from __future__ import annotations

from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import current_app, request, session
from flask_login import current_user

TRANSLATIONS = Path(__file__).resolve().parent / "translations"


def select_locale() -> str:
    from aid.admin.service import current_settings

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
