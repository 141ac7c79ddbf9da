"""The one text cleaner: what is typed in, and what every feed sends out.

Control characters (C0 except tab and newline, DEL, C1) and the invisible bidirectional
overrides and marks (U+200B, U+200E, U+200F, U+202A-U+202E, U+2066-U+2069) are removed: the
first break XML feeds for every consumer, the second make a phone number or a name read
backwards to a coordinator (`+1 503 555 0142` shown as something else). `aid.create_app` installs
`CleanRequest`, so every form field of every page is cleaned as it arrives; feeds call
`scrub_tree` on what they built, so rows stored before this change are cleaned on the way out.
"""

from __future__ import annotations

import re
from typing import Any
from xml.etree.ElementTree import Element

from flask import Request
from werkzeug.datastructures import ImmutableMultiDict

# U+200C/U+200D (zero-width non-joiner and joiner) stay: Persian words and emoji such as a
# family or a skin tone are made with them.
_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b\u200e\u200f\u202a-\u202e\u2066-\u2069"
                     r"\ufffe\uffff]")
# Values compared as they were typed (a password with odd characters stays what it is).
VERBATIM_FIELDS = ("password", "confirm", "current", "csrf_token")
# Twilio signs the raw form: the webhooks clean the body themselves after checking it.
RAW_PATH_PREFIX = "/sms/"


def strip_unsafe(value: str) -> str:
    """`value` without control characters or bidi controls; `\\r\\n` and `\\r` become `\\n`."""
    text = value.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    return _UNSAFE.sub("", text)


def clean(value: str | None, multiline: bool = False) -> str:
    """Text as stored: no unsafe characters, tidy whitespace, newlines only where allowed."""
    if not value:
        return ""
    text = strip_unsafe(value)
    if not multiline:
        return " ".join(text.split())
    lines = [" ".join(line.split()) for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def scrub_tree(root: Element) -> Element:
    """Clean every text, tail and attribute of an XML tree before it is serialised."""
    for element in root.iter():
        if element.text:
            element.text = strip_unsafe(element.text)
        if element.tail:
            element.tail = strip_unsafe(element.tail)
        for key, value in element.attrib.items():
            element.attrib[key] = strip_unsafe(value)
    return root


# Paths whose forms carry files (a report's photos): path -> the largest body they take.
# Features register theirs (`allow_upload`); every other path keeps MAX_CONTENT_LENGTH.
UPLOAD_LIMITS: dict[str, int] = {}


def allow_upload(path: str, limit: int) -> None:
    UPLOAD_LIMITS[path] = limit


class CleanRequest(Request):
    """A request whose form values arrive cleaned (see the module's docstring)."""

    # Read-only on purpose (Flask's can be set): the limit follows the path.
    @property  # type: ignore[misc]
    def max_content_length(self) -> int | None:  # type: ignore[override]
        limit = UPLOAD_LIMITS.get(self.path)
        return limit if limit is not None else super().max_content_length

    def _load_form_data(self) -> None:
        super()._load_form_data()
        if self.path.startswith(RAW_PATH_PREFIX):
            return
        form = self.__dict__.get("form")
        if form is None:
            return
        items: list[tuple[str, Any]] = [
            (name, value if any(s in name for s in VERBATIM_FIELDS) else strip_unsafe(value))
            for name, value in form.items(multi=True)]
        self.__dict__["form"] = ImmutableMultiDict(items)
