"""Two volunteers taking the last place at the same moment (SQLite and PostgreSQL)."""

from __future__ import annotations

import threading
import time

from sqlalchemy import select

from aid.auth.models import Role, User
from aid.extensions import db
from aid.shifts import signups
from aid.shifts.models import Signup
from tests.volunteers import factories


def test_last_place_goes_to_one_and_the_other_is_waitlisted(app, make_user, monkeypatch):
    shift_id = factories.shift(make_user(Role.COORDINATOR), needed=1).id
    user_ids = [factories.volunteer().id, factories.volunteer().id]
    db.session.remove()  # the threads use their own sessions and connections

    # Widen the window between counting places and taking one, so that without the lock
    # both threads would count zero and both be confirmed.
    counted = signups._confirmed_count

    def slow_count(shift: int) -> int:
        value = counted(shift)
        time.sleep(0.3)
        return value

    monkeypatch.setattr(signups, "_confirmed_count", slow_count)
    barrier = threading.Barrier(2)
    results: dict[int, str] = {}
    errors: list[BaseException] = []

    def take(user_id: int) -> None:
        with app.app_context():
            try:
                user = db.session.get(User, user_id)
                barrier.wait(timeout=300)  # only stops a broken run hanging
                results[user_id] = signups.sign_up(shift_id, user).value
            except BaseException as exc:  # reported below, not lost in the thread
                errors.append(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=take, args=(uid,)) for uid in user_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not errors, errors
    assert sorted(results.values()) == ["confirmed", "waitlisted"]
    stored = sorted(db.session.scalars(select(Signup.status)))
    assert stored == ["confirmed", "waitlisted"]


def test_double_submit_gives_one_place(app, make_user):
    shift_id = factories.shift(make_user(Role.COORDINATOR), needed=3).id
    user = factories.volunteer()
    assert signups.sign_up(shift_id, user) == "confirmed"
    try:
        signups.sign_up(shift_id, user)
    except signups.ShiftError as exc:
        assert str(exc) == "already"
    else:
        raise AssertionError("a second place was given")
    assert db.session.scalar(select(db.func.count()).select_from(Signup)) == 1
