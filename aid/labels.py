"""Labels for stored codes (a category, a state, a role), translated once per language."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, TypeVar

import flask_babel
from flask import g, has_request_context


def locale_now() -> str | None:
    """The code of the locale Flask-Babel has settled on for now (a request's, or a
    `force_locale`'s), or None before it has. Kept beside the locale: comparing babel's
    Locale objects (as a dict key does) costs a dozen attribute checks each time."""
    try:
        ctx = g._flask_babel
        locale = ctx.babel_locale
    except (AttributeError, RuntimeError):
        return None
    if locale is None:
        return None
    memo = getattr(ctx, "aid_locale", None)
    if memo is None or memo[0] is not locale:
        memo = ctx.aid_locale = (locale, str(locale))
    return memo[1]


K = TypeVar("K")


class Labels(Mapping[K, Any]):
    """Codes and the labels a person reads for them (lazy strings), translated once per
    language: a page that shows a label per row looks each up in a dict, not through
    Flask-Babel's search for the catalogue (a dozen context lookups a label). Outside a
    request, or before its language is known, the labels are the lazy strings themselves, so
    a module that builds choices from them when it is imported still gets lazy ones."""

    def __init__(self, labels: Mapping[K, Any]) -> None:
        self._lazy = dict(labels)
        self._by_locale: dict[str, dict[K, str]] = {}

    def _now(self) -> Mapping[K, Any]:
        locale = locale_now()
        if locale is None and has_request_context():
            flask_babel.get_locale()  # settles the request's language
            locale = locale_now()
        if locale is None:
            return self._lazy
        found = self._by_locale.get(locale)
        if found is None:
            found = self._by_locale[locale] = {k: str(v) for k, v in self._lazy.items()}
        return found

    def __getitem__(self, key: K) -> Any:
        return self._now()[key]

    def __iter__(self) -> Iterator[K]:
        return iter(self._lazy)

    def __len__(self) -> int:
        return len(self._lazy)

    def __contains__(self, key: object) -> bool:
        return key in self._lazy
