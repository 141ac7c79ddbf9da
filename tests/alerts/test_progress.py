"""The alert page's live progress: the JSON the page polls, against a real fan-out."""

from __future__ import annotations

import re

from aid.alerts import fanout, service
from aid.alerts.fanout import sending
from aid.extensions import db
from aid.sms import pacing
from aid.sms.backends import backend_for
from tests.alerts.support import add_subscribers, draft, sent_alert

SCRIPT = '<script src="/static/alerts-progress.js?v='  # the URL names the file's content


def test_progress_json_counts_a_real_fan_out_by_state_and_language(aid_test, app, client, twilio,
                                                                    coordinator, make_user):
    add_subscribers(6, "en")
    add_subscribers(4, "es")
    twilio.fail_next(400, 21211)  # one invalid number
    alert = sent_alert(coordinator, make_user("coordinator", "vetted"),
                       bodies={"en": "Checkpoint on Oak St.", "es": "Retén en la calle Oak."})
    aid_test.sign_in(client, coordinator)
    response = client.get(f"/coordinator/alerts/{alert.id}/progress.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert response.headers["Cache-Control"] == "no-store"
    data = response.get_json()
    assert data["status"] == "sent" and data["status_label"] == "Sent" and data["finished"]
    assert (data["total"], data["done"], data["percent"]) == (10, 10, 100)
    assert data["counts"] == {"queued": 0, "sent": 9, "delivered": 0, "failed": 1,
                              "skipped": 0}
    assert set(data["by_language"]) == {"en", "es"}
    assert sum(row["sent"] + row["failed"] for row in data["by_language"].values()) == 10
    assert sum(data["by_language"]["es"].values()) == 4
    assert data["failures"] == [{"code": 21211, "count": 1}]
    # The numbers are those the page shows without JavaScript.
    page = client.get(f"/coordinator/alerts/{alert.id}").get_data(as_text=True)
    assert re.search(r'<progress max="10" value="10">', page)
    assert '<tr data-language="es">' in page and "21211: 1" in page and "100%" in page


def test_progress_json_shows_a_half_sent_alert_and_the_page_loads_the_script(
        aid_test, app, client, twilio, coordinator, monkeypatch):
    add_subscribers(30)
    monkeypatch.setattr(fanout, "enqueue", lambda alert_id: None)  # no worker yet
    alert = service.create_draft(draft(), coordinator)
    app.config["ALERT_APPROVAL_THRESHOLD"] = 1000
    service.submit(alert, coordinator)
    token = "half"
    ids = fanout.claim(alert.id, 12, token)
    backend = backend_for("twilio")
    sent = [(out, sending.send(app, out, 3600, pacing.Unpaced(), backend))
            for out in sending.prepare(token, {"en": "ICE vans"}, 3600)]
    sending.record(sent, alert.id)  # a worker half-way: 12 sent, 18 still pending
    assert len(ids) == 12 and len(twilio.sent) == 12
    aid_test.sign_in(client, coordinator)
    data = client.get(f"/coordinator/alerts/{alert.id}/progress.json").get_json()
    assert data["status"] == "sending" and not data["finished"]
    assert (data["total"], data["done"], data["percent"]) == (30, 12, 40)
    assert data["counts"]["queued"] == 18 and data["by_language"]["en"]["sent"] == 12
    page = client.get(f"/coordinator/alerts/{alert.id}").get_data(as_text=True)
    assert SCRIPT in page and "data-progress-url=" in page and "Refresh" in page

    fanout.run(alert.id)  # the worker finishes: the page no longer polls
    db.session.expire_all()
    page = client.get(f"/coordinator/alerts/{alert.id}").get_data(as_text=True)
    assert SCRIPT not in page and "data-progress-url=" not in page
    assert client.get(f"/coordinator/alerts/{alert.id}/progress.json").get_json()[
        "percent"] == 100


def test_progress_json_is_for_coordinators_only(aid_test, app, client, coordinator, make_user):
    alert = service.create_draft(draft(), coordinator)
    aid_test.sign_in(client, make_user("volunteer", "vetted"))
    assert client.get(f"/coordinator/alerts/{alert.id}/progress.json").status_code == 403


def test_progress_json_of_a_missing_alert_is_404(aid_test, app, client, coordinator):
    aid_test.sign_in(client, coordinator)
    assert client.get("/coordinator/alerts/999/progress.json").status_code == 404


def test_the_script_writes_text_only_and_never_evaluates_code():
    from pathlib import Path

    source = (Path(__file__).resolve().parents[2] / "static" / "alerts-progress.js").read_text()
    assert "textContent" in source and "data-progress-url" in source  # URL from the page
    for banned in ("innerHTML", "eval(", "new Function", ".style", "document.write"):
        assert banned not in source
