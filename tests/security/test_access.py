"""Walk every registered route as every kind of person and check the access table holds."""

from __future__ import annotations

import re

import pytest
from flask import Flask

from aid.auth.models import Role, Status
from aid.security import access, webhooks
from aid.security.access import Level

PERSONAS = {
    Level.ANONYMOUS: None,
    Level.APPLIED: (Role.VOLUNTEER, Status.APPLIED),
    Level.VETTED: (Role.VOLUNTEER, Status.VETTED),
    Level.COORDINATOR: (Role.COORDINATOR, Status.VETTED),
    Level.ADMIN: (Role.ADMIN, Status.VETTED),
}


def concrete_routes(app: Flask) -> list[tuple[str, str, str]]:
    """(endpoint, method, url) for every route, with placeholder values for its arguments."""
    routes = []
    for rule in app.url_map.iter_rules():
        url = re.sub(r"<(?:int:)?(\w+)>", lambda m: "1" if "int:" in m.group(0) else "x",
                     rule.rule)
        url = re.sub(r"<path:\w+>", "x", url)
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            routes.append((rule.endpoint, method, url))
    return routes


def test_every_route_has_an_access_rule(app):
    rules = access.rules(app)
    missing = sorted({e for e, _m, _u in concrete_routes(app) if e not in rules})
    assert not missing, f"routes with no access rule (refused to everyone): {missing}"
    assert access.unruled(app) == []


def test_access_table_names_no_route_that_does_not_exist(app):
    endpoints = {e for e, _m, _u in concrete_routes(app)}
    assert not set(access.rules(app)) - endpoints


def test_an_app_with_a_route_that_declares_no_rule_refuses_to_start(app_factory):
    app = app_factory()
    access.check(app)  # as built: every route declared
    app.add_url_rule("/forgotten", "forgotten", lambda: "secret")
    with pytest.raises(RuntimeError, match="forgotten"):
        access.check(app)


def test_a_rule_declared_on_a_view_is_the_one_applied(aid_test, app, make_user):
    app.add_url_rule("/staff-only", "staff_only",
                     access.rule(Level.COORDINATOR)(lambda: "staff"))
    access.check(app)
    assert access.rules(app)["staff_only"] == Level.COORDINATOR
    client = app.test_client()
    assert "/login" in client.get("/staff-only").headers["Location"]
    aid_test.sign_in(client, make_user(Role.VOLUNTEER, Status.VETTED))
    assert client.get("/staff-only").status_code == 403
    staff = app.test_client()
    aid_test.sign_in(staff, make_user(Role.COORDINATOR, Status.VETTED))
    assert staff.get("/staff-only").get_data(as_text=True) == "staff"


@pytest.mark.parametrize("level", list(PERSONAS), ids=lambda lv: lv.name.lower())
def test_route_walk(aid_test, app, client, make_user, level):
    if PERSONAS[level]:
        role, status = PERSONAS[level]
        aid_test.sign_in(client, make_user(role, status))
    token = aid_test.csrf_token(client)
    rules = access.rules(app)
    signed_webhooks = webhooks.endpoints(app)  # every route declared @twilio_webhook
    checked = 0
    for endpoint, method, url in concrete_routes(app):
        if endpoint in {"auth.logout", "auth.end_sessions", "auth.change_password"}:
            continue  # they end or change this walker's own session; tested in tests/auth
        needed = rules[endpoint]
        if endpoint in signed_webhooks:
            # Open to anyone holding Twilio's signature, to no one without it, whatever the
            # role (signed requests: tests/sms).
            response = client.post(url, data={"Body": "hi", "From": "+12025550188"})
            assert response.status_code == 403, f"unsigned {url} must be refused"
            checked += 1
            continue
        if method == "GET":
            response = client.get(url)
        else:
            response = client.open(url, method=method, data={"csrf_token": token})
        allowed = level >= needed
        went_to_login = response.status_code == 302 and "/login" in response.headers.get(
            "Location", "")
        if allowed:
            assert response.status_code != 403 and not (went_to_login and needed > 0), (
                f"{level.name} should reach {method} {url} ({endpoint}), got "
                f"{response.status_code}")
            assert response.status_code < 500, f"{method} {url} failed for {level.name}"
        elif level == Level.ANONYMOUS and method == "GET":
            assert went_to_login, f"anonymous {method} {url} should go to sign-in"
        else:
            assert response.status_code == 403, (
                f"{level.name} must not reach {method} {url} ({endpoint}): "
                f"{response.status_code}")
        checked += 1
    assert checked >= len(rules)
