"""Issue 20, point 13: control characters in an alert never break the feeds."""

from __future__ import annotations

from xml.etree import ElementTree

from tests.alerts.support import add_subscribers, sent_alert


def test_control_characters_in_an_alert_leave_the_feeds_valid(app, client, coordinator, twilio):
    add_subscribers(1)
    alert = sent_alert(coordinator, bodies={"en": "Checkpoint\x0b on Oak\u202e St.\x1b",
                                            "es": "Retén\x0c en la calle Oak."})
    atom = client.get("/alerts/feed.atom")
    root = ElementTree.fromstring(atom.data)  # noqa: S314 (our own output, in a test)
    assert "Checkpoint on Oak St." in "".join(root.itertext())
    cap = ElementTree.fromstring(client.get(f"/alerts/{alert.id}.cap.xml").data)  # noqa: S314
    texts = "".join(cap.itertext())
    assert "Retén en la calle Oak." in texts and "\u202e" not in texts
