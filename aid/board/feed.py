"""The Atom feed of open posts, built with ElementTree so every value is escaped."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from xml.etree import ElementTree as ET

from flask import url_for
from flask_babel import gettext as _

from aid.board.forms import CATEGORY_LABELS, KIND_LABELS
from aid.board.models import Post
from aid.network.service import current_settings
from aid.security.cleaning import strip_unsafe

ATOM = "http://www.w3.org/2005/Atom"
def _text(value: object) -> str:
    """Characters XML 1.0 cannot carry (ElementTree would write them and break the feed)
    and bidi controls are left out, by the one text cleaner."""
    return strip_unsafe(str(value))


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", {k: _text(v) for k, v in attrs.items()})
    if text is not None:
        element.text = _text(text)
    return element


def atom_feed(posts: Sequence[Post], areas: dict[int, str]) -> bytes:
    ET.register_namespace("", ATOM)
    root = ET.Element(f"{{{ATOM}}}feed")
    network = current_settings().network_name
    _sub(root, "title", _("%(network)s: needs and offers", network=network))
    _sub(root, "id", url_for("board.index", _external=True))
    _sub(root, "link", rel="self", href=url_for("board.feed", _external=True))
    _sub(root, "link", rel="alternate", type="text/html",
         href=url_for("board.index", _external=True))
    _sub(root, "updated", _stamp(max((p.updated_at for p in posts), default=datetime(2020, 1, 1))))
    _sub(_sub(root, "author"), "name", network)
    for post in posts:
        entry = _sub(root, "entry")
        link = url_for("board.show", post_id=post.id, _external=True)
        kind = str(KIND_LABELS.get(post.kind, post.kind))
        _sub(entry, "title", f"{kind}: {post.title}")
        _sub(entry, "id", link)
        _sub(entry, "link", rel="alternate", type="text/html", href=link)
        _sub(entry, "published", _stamp(post.created_at))
        _sub(entry, "updated", _stamp(post.updated_at))
        _sub(entry, "category", term=post.category,
             label=str(CATEGORY_LABELS.get(post.category, post.category)))
        area = areas.get(post.area_id, "")
        summary = f"{area} · {post.description}" if area else post.description
        _sub(entry, "summary", summary, type="text")
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)
