"""The other staff lists at 1,000 / 100,000 rows each: the volunteer list, the board's
moderation queue, the outbox, the call log, the audit log and the admin's user list, against
a bare Flask + SQLAlchemy `SELECT 1` app on the same database, taken in turns.

Each list's table gets `n` rows, seeded in bulk in SQL (bench/_seed.py); figures as in
bench/triage.py: CPU and wall per request (median), the ratio bare / page, CPU growth against
the smallest size, statements sent and rows shown. The deep pages are reached by following
"Older" 39 times (keyset links where the list has them). On SQLite by default; PostgreSQL
with AID_BENCH_DATABASE_URL (emptied). Sizes: AID_BENCH_LISTS_SIZES=1000,100000.

    python -m bench lists
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable

from flask import Flask

from bench._seed import (
    database,
    encrypted,
    getter,
    insert_series,
    measured,
    minutes_ago,
    older,
    padded,
    signed_in,
    size_lines,
)
from bench._server import bare_app, bench_app

SIZES = [int(n) for n in os.environ.get("AID_BENCH_LISTS_SIZES", "1000,100000").split(",")]
ROUNDS = int(os.environ.get("AID_BENCH_LISTS_ROUNDS", "10"))

_VOLUNTEER = """CASE WHEN i % 20 < 16 THEN 'vetted' WHEN i % 20 < 19 THEN 'applied'
  ELSE 'suspended' END"""
_POST = """CASE WHEN i % 50 = 0 THEN 'pending' WHEN i % 10 < 3 THEN 'open'
  WHEN i % 10 = 3 THEN 'hidden' WHEN i % 10 < 7 THEN 'fulfilled' ELSE 'expired' END"""
_TEXT = """CASE WHEN i % 40 = 0 THEN 'failed' WHEN i % 40 = 1 THEN 'undelivered'
  WHEN i % 40 = 2 THEN 'suppressed' ELSE 'delivered' END"""
_PURPOSE = "CASE WHEN i % 3 = 0 THEN 'alert' WHEN i % 3 = 1 THEN 'reminder' ELSE 'reply' END"
_CALL = """CASE WHEN i % 5 = 0 THEN 'missed' WHEN i % 5 = 1 THEN 'left_message'
  ELSE 'answered' END"""
# Four common actions, and a rare one: ten settings changes spread over the log at any size
# (filtering by it must not read the rest of the log).
_ACTION = """CASE WHEN i % (:n / 10) = 0 THEN 'settings.changed'
  WHEN i % 4 = 0 THEN 'help_request.viewed' WHEN i % 4 = 1 THEN 'volunteer.viewed'
  WHEN i % 4 = 2 THEN 'board_post.approved' ELSE 'user.signed_in' END"""


def _seed(n: int) -> tuple[int, int]:
    """Staff, then `n` rows in each list's table; returns the coordinator's and admin's ids."""
    from aid import statistics
    from aid.auth import service as accounts
    from aid.auth.models import Role, Status, User
    from aid.board.models import Post
    from aid.extensions import db
    from aid.network.models import Area
    from aid.sms.models import OutboundMessage
    from aid.voice.models import VoiceCall
    from aid.volunteers.models import VolunteerProfile
    from tests.helpers import PASSWORD

    areas = [Area(name=f"Area {i}") for i in range(8)]
    db.session.add_all(areas)
    staff = [accounts.create_user(f"{role}@bench.example", str(role).title(), role, PASSWORD,
                                  Status.VETTED) for role in (Role.COORDINATOR, Role.ADMIN)]
    for user in staff:
        accounts.enrol_totp_now(user)
    db.session.commit()
    users, profiles = User.__table__.c, VolunteerProfile.__table__.c
    first = (db.session.scalar(db.select(db.func.max(User.id))) or 0) + 1
    insert_series(
        "users", "id, email, email_index, display_name, role, status, duress_lock, "
        "totp_confirmed, session_token, created_at",
        f":first + i, :email, {padded('e', 63)}, :name, 'volunteer', {_VOLUNTEER}, false, "
        f"false, {padded('s', 63)}, {minutes_ago()}", n, first=first,
        email=encrypted(users.email, "volunteer@example.org"),
        name=encrypted(users.display_name, "Sam Volunteer"))
    insert_series(
        "volunteer_profiles", "user_id, phone, languages, skills, availability, referral, "
        "conduct_agreed_at, conduct_version, vouch_code, vouch_code_index, created_at, "
        "responder, phone_tree",
        f":first + i, :phone, 'en,es', 'driving', 'weekends', :referral, {minutes_ago()}, "
        f"'1', :code, {padded('v', 63)}, {minutes_ago()}, false, false", n, first=first,
        phone=encrypted(profiles.phone, "+15555550100"),
        referral=encrypted(profiles.referral, "a friend"),
        code=encrypted(profiles.vouch_code, "vouch-code"))
    posts = Post.__table__.c
    insert_series(
        "board_posts", "kind, category, area_id, title, description, status, flag_count, "
        "created_at, updated_at, expires_at",
        "CASE WHEN i % 2 = 0 THEN 'need' ELSE 'offer' END, 'food', :area + i % 8, :title, "
        f":description, {_POST}, CASE WHEN i % 97 = 0 THEN 1 ELSE 0 END, {minutes_ago()}, "
        f"{minutes_ago()}, {minutes_ago()}", n, area=areas[0].id,
        title=encrypted(posts.title, "Rice and beans"),
        description=encrypted(posts.description, "Two bags, pick up on Friday"))
    texts = OutboundMessage.__table__.c
    insert_series(
        "sms_outbound", "to_number, to_index, body, purpose, status, backend, error_note, "
        "attempts, segments, created_at, updated_at",
        f":to, {padded('t', 63)}, :body, {_PURPOSE}, {_TEXT}, 'console', '', 1, 1, "
        f"{minutes_ago()}, {minutes_ago()}", n,
        to=encrypted(texts.to_number, "+15555550101"),
        body=encrypted(texts.body, "Your shift starts at 9"))
    insert_series(
        "voice_calls", "call_sid, direction, phone, language, outcome, staff_id, rang, "
        "duration_seconds, started_at",
        f"{padded('CA', 32)}, 'inbound', :phone, 'en', {_CALL}, "
        f"CASE WHEN i % 5 > 1 THEN :staff ELSE NULL END, 3, 60, {minutes_ago()}", n,
        phone=encrypted(VoiceCall.__table__.c.phone, "+15555550102"), staff=staff[0].id)
    insert_series(
        "audit_events", "at, actor_id, action, target_type, target_id, detail",
        f"{minutes_ago()}, :staff, {_ACTION}, 'help_request', i, ''", n, staff=staff[0].id)
    # The hourly job that keeps planner statistics (no other table has them on SQLite).
    statistics.refresh()
    if db.engine.dialect.name == "postgresql":
        # What autovacuum does within a minute of a bulk load, before anyone reads a list.
        db.session.execute(db.text("ANALYZE"))
        db.session.commit()
    return staff[0].id, staff[1].id


def _measure(app: Flask, n: int,
             database_url: str) -> tuple[float, dict[str, tuple[float, float, int, int]]]:
    from aid.auth.models import User
    from aid.extensions import db

    with app.app_context():
        started = time.perf_counter()
        coordinator_id, admin_id = _seed(n)
        seeded = time.perf_counter() - started
        coordinator, admin = (getter(signed_in(app, db.session.get_one(User, user_id)))
                              for user_id in (coordinator_id, admin_id))
    bare = getter(bare_app(database_url).test_client())
    pages: dict[str, tuple[Callable[[str], str], str]] = {
        "volunteers vetted": (coordinator, "/coordinator/volunteers?status=vetted"),
        "volunteers applied": (coordinator, "/coordinator/volunteers"),
        "moderation pending": (coordinator, "/coordinator/board"),
        "moderation open": (coordinator, "/coordinator/board?view=open"),
        "moderation closed": (coordinator, "/coordinator/board?view=closed"),
        "outbox": (admin, "/admin/outbox"),
        "outbox status=failed": (admin, "/admin/outbox?status=failed"),
        "call log": (coordinator, "/coordinator/calls"),
        "audit log": (admin, "/admin/audit"),
        "audit action=volunteer": (admin, "/admin/audit?action=volunteer"),
        "audit action=settings": (admin, "/admin/audit?action=settings"),
        "users": (admin, "/admin/users"),
    }
    deep = ("volunteers vetted", "moderation open", "outbox", "call log", "audit log", "users")
    for name in deep:
        get, path = pages[name]
        pages[f"{name} page 40"] = (get, older(get, path, 39))
    calls: dict[str, Callable[[], str]] = {"bare": lambda: bare("/")}
    for name, (get, path) in pages.items():
        calls[name] = lambda get=get, path=path: get(path)  # type: ignore[misc]
    return seeded, measured(app, calls, ROUNDS)


def run() -> list[str]:
    from aid.extensions import db
    from tests.helpers import KEYS

    lines: list[str] = []
    by_size: dict[int, dict[str, tuple[float, float, int, int]]] = {}
    with tempfile.TemporaryDirectory() as folder:
        for n in SIZES:
            url = database(folder, "lists")
            with bench_app(AID_DATABASE_URL=url, **KEYS) as app:
                seeded, by_size[n] = _measure(app, n, url)
                with app.app_context():
                    db.engine.dispose()
            lines += size_lines(n, "rows a list", url, seeded, by_size[n], by_size[SIZES[0]],
                                SIZES[0])
    return lines


if __name__ == "__main__":
    for line in run():
        print(line)
