"""Fuzzing: random and hostile values posted to every form route, as every role.

Whatever is sent: never a 500, every error page in the site's style, and rows the request did
not name (another area's request, another person's account and post) stay byte for byte the
same. Routes are discovered from the app's url_map, so a new form is fuzzed without anyone
listing it here.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from aid import create_app
from aid.auth.models import Role, Status
from aid.board import service as board
from aid.extensions import db, limiter
from aid.hotline import service as hotline
from tests.helpers import make_config
from tests.volunteers import factories

# Signing out or ending sessions would change the role for the next example; the emergency
# erase needs a password and a code no fuzzer has (tests/privacy/test_wipe.py covers it).
SKIP = {"auth.logout", "auth.end_sessions", "static"}


def _post_rules() -> list[tuple[str, str, tuple[str, ...]]]:
    app = create_app(make_config(Path(tempfile.mkdtemp()), "sqlite://"))
    return sorted((r.endpoint, r.rule, tuple(sorted(r.arguments)))
                  for r in app.url_map.iter_rules()
                  if "POST" in (r.methods or ()) and r.endpoint not in SKIP)


RULES = _post_rules()
HOSTILE = st.sampled_from([
    "' OR 1=1 --", "<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "\x00",
    "9" * 400, "-1", "0", "2147483648", "../../etc/passwd", "{{7*7}}", "%s%s%n", "\u202e",
    "😀" * 50, "x" * 20_000, "", " ", "null", "+1 (202) 555-0188", "ERASE", "https://e.x/",
])
VALUES = st.one_of(HOSTILE, st.text(max_size=300), st.integers().map(str))
ROLES = ["anonymous", "applied", "vetted", "coordinator", "admin"]


def _clients(aid_test, app, make_user):
    clients = {"anonymous": app.test_client()}
    for role, status in (("applied", Status.APPLIED), ("vetted", Status.VETTED)):
        user = factories.volunteer(status=status)
        clients[role] = app.test_client()
        aid_test.sign_in(clients[role], user)
    for role in ("coordinator", "admin"):
        clients[role] = app.test_client()
        aid_test.sign_in(clients[role], make_user(Role(role)))
    return clients


def _snapshot(sentinels: dict[str, int]) -> dict[str, list]:
    return {t: [tuple(r) for r in db.session.execute(
        text(f'SELECT * FROM "{t}" WHERE id = :id'), {"id": i})]  # noqa: S608
        for t, i in sentinels.items()}


@pytest.fixture
def fuzz_world(aid_test, app, make_user):
    area, elsewhere = factories.area("Eastside"), factories.area("Northside")
    coordinator = make_user(Role.COORDINATOR)
    target = factories.volunteer()
    req, token = hotline.create_request(hotline.Intake(
        category="food", urgency="days", area_id=area.id, language="en", contact_method="sms",
        details="Target request", name="Ana", phone="+14155550123"))
    post, _t = board.create_post("offer", board.PostInput(
        category="food", area_id=area.id, title="Target post", description="Rice"))
    shift = factories.shift(coordinator)
    # Rows no URL names: a fuzzed request must never change them.
    bystander = make_user(Role.COORDINATOR, name="Bystander Bea")
    quiet, _t2 = hotline.create_request(hotline.Intake(
        category="legal", urgency="now", area_id=elsewhere.id, language="es",
        contact_method="call", details="Quiet request", name="Quiet", phone="+14155550124"))
    other_post, _t3 = board.create_post("need", board.PostInput(
        category="food", area_id=elsewhere.id, title="Other post", description="Beans"))
    db.session.expire_all()
    ids = {"request_id": req.id, "post_id": post.id, "shift_id": shift.id,
           "user_id": target.id, "area_id": area.id}
    sentinels = {"users": bystander.id, "help_requests": quiet.id, "board_posts": other_post.id}
    return _clients(aid_test, app, make_user), ids, sentinels


def _url(rule: str, args: tuple[str, ...], ids: dict[str, int]) -> str:
    for name in args:
        value = ids.get(name, 1) if name.endswith("_id") else "not-a-real-token-0123456789"
        rule = re.sub(rf"<(?:\w+:)?{name}>", str(value), rule)
    return rule


@pytest.mark.parametrize("endpoint,rule,args", RULES, ids=[r[0] for r in RULES])
def test_fuzz_form_route(aid_test, fuzz_world, endpoint, rule, args):
    clients, ids, sentinels = fuzz_world
    url = _url(rule, args, ids)
    fields: dict[str, list[str]] = {}
    tokens = {role: aid_test.csrf_token(c, "/help") for role, c in clients.items()}
    before = _snapshot(sentinels)

    @settings(max_examples=10, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(role=st.sampled_from(ROLES), data=st.data())
    def run(role, data):
        limiter.reset()
        client = clients[role]
        if role not in fields:
            page = client.get(url)
            html = page.get_data(as_text=True) if page.status_code == 200 else ""
            fields[role] = sorted(set(re.findall(r'name="(\w+)"', html)) - {"csrf_token"}) \
                or ["action", "code", "body", "message"]
        form = {name: data.draw(VALUES, label=name) for name in fields[role]}
        if data.draw(st.booleans(), label="with csrf"):
            form["csrf_token"] = tokens[role]
        response = client.post(url, data=form)
        assert response.status_code < 500, (role, url, response.status_code)
        if response.status_code >= 400 and response.mimetype == "text/html":
            assert "/static/aid.css" in response.get_data(as_text=True)
        db.session.rollback()
        assert _snapshot(sentinels) == before, (role, url)

    run()
