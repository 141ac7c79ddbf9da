"""Public Atom feed and CAP 1.2 documents for sent, public alerts.

They carry what the alert said and its CAP codes, areas and times; never who wrote or
approved it, the report behind it, or anything about recipients.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from urllib.parse import urlsplit
from xml.etree.ElementTree import Element, SubElement, tostring

from flask import current_app, url_for
from flask_babel import force_locale

from aid.alerts.models import Alert
from aid.network.service import current_settings
from aid.security.cleaning import scrub_tree
from aid.sms.subscriptions import TOPICS

CAP_NS = "urn:oasis:names:tc:emergency:cap:1.2"
ATOM_NS = "http://www.w3.org/2005/Atom"


def _iso(when: datetime) -> str:
    return when.strftime("%Y-%m-%dT%H:%M:%S+00:00")  # stored times are naive UTC


def _host() -> str:
    return urlsplit(current_app.config["PUBLIC_URL"]).hostname or "localhost"


HEADLINE = 120  # CAP advises under 160 characters; feed readers show less


def _headline(text: str) -> str:
    """The first line, cut at a word when it is too long (a cut word reads as a typo)."""
    first = text.strip().splitlines()[0].strip() if text.strip() else ""
    if len(first) <= HEADLINE:
        return first
    room = first[:HEADLINE]
    cut = room.rsplit(" ", 1)[0] if " " in room else room
    return cut.rstrip(" ,.;:-") + "…"


def _event(alert: Alert, language: str) -> str:
    """The topics in the info block's own language."""
    with force_locale(language):
        return ", ".join(str(TOPICS.get(t, t)) for t in alert.topic_list)


def identifier(alert: Alert) -> str:
    return f"{_host()}-alert-{alert.id}"


def cap_document(alert: Alert) -> bytes:
    """A CAP 1.2 `<alert>` with one `<info>` per language."""
    root = Element("alert", xmlns=CAP_NS)
    sent = alert.approved_at or alert.created_at
    for name, value in (("identifier", identifier(alert)), ("sender", _host()),
                        ("sent", _iso(sent)), ("status", "Actual"), ("msgType", "Alert"),
                        ("scope", "Public")):
        SubElement(root, name).text = value
    for body in alert.bodies:
        info = SubElement(root, "info")
        SubElement(info, "language").text = body.language
        SubElement(info, "category").text = "Safety"
        SubElement(info, "event").text = _event(alert, body.language)
        for name in ("urgency", "severity", "certainty"):
            SubElement(info, name).text = getattr(alert, name)
        SubElement(info, "expires").text = _iso(alert.expires_at)
        SubElement(info, "senderName").text = current_settings().network_name
        SubElement(info, "headline").text = _headline(body.body)
        SubElement(info, "description").text = body.body
        if alert.link:
            SubElement(info, "web").text = alert.link
        area = SubElement(info, "area")
        SubElement(area, "areaDesc").text = (", ".join(a.name for a in alert.areas)
                                             or current_settings().network_name)
    scrub_tree(root)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + tostring(root, encoding="unicode") \
        .encode()


def atom_feed(alerts: Sequence[Alert]) -> bytes:
    feed = Element("feed", xmlns=ATOM_NS)
    network = current_settings().network_name
    SubElement(feed, "title").text = f"{network}: alerts"
    SubElement(feed, "id").text = f"tag:{_host()},2024:alerts"
    newest = max((a.approved_at for a in alerts if a.approved_at), default=None)
    SubElement(feed, "updated").text = _iso(newest) if newest else "1970-01-01T00:00:00+00:00"
    SubElement(feed, "link", rel="self", href=url_for("alerts.feed", _external=True))
    SubElement(SubElement(feed, "author"), "name").text = network
    for alert in alerts:
        entry = SubElement(feed, "entry")
        first = alert.bodies[0].body if alert.bodies else ""
        SubElement(entry, "id").text = f"tag:{_host()},2024:alert-{alert.id}"
        SubElement(entry, "title").text = _headline(first)
        SubElement(entry, "updated").text = _iso(alert.approved_at or alert.created_at)
        cap = url_for("alerts.cap", alert_id=alert.id, _external=True)
        SubElement(entry, "link", rel="alternate", type="application/cap+xml", href=cap)
        for name in ("severity", "urgency", "certainty"):
            SubElement(entry, "category", scheme=f"urn:oasis:cap:{name}",
                       term=getattr(alert, name))
        text = "\n\n".join(f"[{b.language}] {b.body}" for b in alert.bodies)
        text += f"\n\nExpires: {_iso(alert.expires_at)}"
        SubElement(entry, "content", type="text").text = text
    scrub_tree(feed)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + tostring(feed, encoding="unicode") \
        .encode()
