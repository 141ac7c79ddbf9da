"""Coordinators find requests by the words people wrote, and the database holds none of them."""

from __future__ import annotations

import re
from pathlib import Path

from sqlalchemy import text

from aid import tasks
from aid.auth.models import Role, Status
from aid.extensions import db
from aid.hotline.models import RequestWord, State
from aid.hotline.privacy import erase_what_they_told_us
from aid.security import rotation
from aid.security.words import backfill


def _codes(html: str, *reqs) -> set[str]:
    return {r.code for r in reqs if r.code in html}


def test_search_finds_by_words_and_combines_with_filters(client, signed_in, make_request,
                                                          areas):
    diapers = make_request(details="Necesito pañales para mi bebé, talla 3", language="es",
                           category="food")
    lawyer = make_request(details="My brother was detained, we need a lawyer",
                          category="legal", area_id=areas[1].id)
    food = make_request(details="We have no food until Friday", category="food")
    signed_in(Role.COORDINATOR, Status.VETTED)

    html = client.get("/coordinator/requests?q=PA%C3%91ALES").get_data(as_text=True)
    assert _codes(html, diapers, lawyer, food) == {diapers.code}
    html = client.get("/coordinator/requests?q=lawyer+brother").get_data(as_text=True)
    assert _codes(html, diapers, lawyer, food) == {lawyer.code}
    # Words narrow together with the other filters (saved filters are just this URL).
    html = client.get("/coordinator/requests?q=food&category=legal").get_data(as_text=True)
    assert _codes(html, diapers, lawyer, food) == set()
    html = client.get(f"/coordinator/requests?q=friday&area={areas[0].id}").get_data(
        as_text=True)
    assert _codes(html, diapers, lawyer, food) == {food.code}
    assert 'value="friday"' in html  # the search box keeps what was typed


def test_no_clear_word_reaches_the_database(app, make_request):
    make_request(details="Necesito pañales Huggies para mi bebé en Riverside")
    rows = db.session.execute(text("SELECT word FROM request_words")).scalars().all()
    assert rows and all(len(w) == 64 and int(w, 16) >= 0 for w in rows)
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    if uri.startswith("sqlite:///"):
        db.session.commit()
        db.session.remove()
        db.engine.dispose()  # everything written out to the file
        path = Path(uri.removeprefix("sqlite:///"))
        raw = b"".join(p.read_bytes() for p in (path, Path(f"{path}-wal")) if p.exists())
        assert b"food" in raw  # what stays in clear (the category) is found: the read works
        for word in (b"Huggies", b"huggie", "pañales".encode(), b"panale", "bebé".encode()):
            assert word not in raw
        # "bebe" is also four hex digits, so it may sit inside any keyed hash by chance:
        # only a "bebe" that is not part of a longer hex run is a word in clear.
        assert not re.search(rb"(?<![0-9a-f])bebe(?![0-9a-f])", raw)


def test_words_go_when_the_request_forgets_and_are_remade_on_rotation(app, make_request):
    req = make_request(details="Mi casero me quiere desalojar")
    assert db.session.query(RequestWord).filter_by(request_id=req.id).count() == 5
    before = set(db.session.scalars(db.select(RequestWord.word)))
    db.session.execute(text("DELETE FROM request_words"))
    db.session.commit()
    rotation.REBUILDERS["request_words"]()
    assert set(db.session.scalars(db.select(RequestWord.word))) == before
    erase_what_they_told_us(req, "withdrawn")
    db.session.commit()
    assert db.session.query(RequestWord).filter_by(request_id=req.id).count() == 0
    assert req.state == State.NEW


def test_requests_without_words_are_found_after_the_backfill(client, signed_in, runner,
                                                            make_request):
    """Requests written before the word index existed: the backfill (run by every worker
    start, and by `aid search reindex`) makes them findable; a second run changes nothing."""
    old = make_request(details="Necesitamos una silla de ruedas para mi abuela")
    new = make_request(details="Wheelchair ramp for the front door")
    db.session.execute(text("DELETE FROM request_words WHERE request_id = :id"),
                       {"id": old.id})
    db.session.commit()
    signed_in(Role.COORDINATOR, Status.VETTED)
    assert old.code not in client.get("/coordinator/requests?q=silla").get_data(as_text=True)
    words_of_new = set(db.session.scalars(db.select(RequestWord.word).where(
        RequestWord.request_id == new.id)))

    first = runner.invoke(args=["search", "reindex"])
    assert first.exit_code == 0, first.output
    assert "request_words: 1 records indexed" in first.output
    html = client.get("/coordinator/requests?q=silla+abuela").get_data(as_text=True)
    assert _codes(html, old, new) == {old.code}
    everything = set(db.session.execute(db.select(RequestWord.request_id, RequestWord.word)))

    assert backfill(batch=1) == {"board_words": 0, "request_words": 0}  # nothing left to do
    assert set(db.session.execute(db.select(RequestWord.request_id, RequestWord.word))) \
        == everything
    assert words_of_new <= {w for rid, w in everything if rid == new.id}


def test_a_worker_start_backfills_words_once(app, make_request, monkeypatch):
    req = make_request(details="Mi casero me quiere desalojar")
    db.session.execute(text("DELETE FROM request_words"))
    db.session.commit()
    monkeypatch.setattr(tasks, "_timers", [])  # the start jobs only, no timer threads
    tasks.start_timers(app)  # what `aid worker` and `aid run` do as they start
    db.session.expire_all()
    assert db.session.query(RequestWord).filter_by(request_id=req.id).count() == 5
