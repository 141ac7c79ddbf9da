"""Who may reach which route: declared next to each view, deny by default.

Every view says who may reach it with `@access.rule(Level.X)` beside its `@bp.route`. The app
gathers those declarations once its blueprints are registered (`rules`) and refuses to start
while any registered endpoint has none (`check`); an endpoint added later without a rule is
refused to everyone at request time, so a new route cannot ship without someone deciding who
sees it. Record-level need-to-know (a volunteer sees only their own assignments) is checked
inside the feature's service, on top of this.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import IntEnum
from typing import Any, TypeVar

from flask import Flask, abort, current_app, redirect, request, url_for
from flask_login import current_user


class Level(IntEnum):
    ANONYMOUS = 0
    PUBLIC = 0  # the same level, read as "no account needed" where a route is declared
    APPLIED = 1  # signed in, not yet vetted: own profile only
    VETTED = 2
    COORDINATOR = 3
    ADMIN = 4


PUBLIC = Level.PUBLIC

# Endpoints Flask itself registers, which no feature's view declares.
BUILT_IN: dict[str, Level] = {"static": PUBLIC}

_ATTR = "aid_access_level"
View = TypeVar("View", bound=Callable[..., Any])


def rule(level: Level) -> Callable[[View], View]:
    """Declare the level a view needs. Marks the function itself (wrappers made with
    functools.wraps carry the mark), so it may sit above or below the other decorators."""
    needed = Level(level)

    def mark(view: View) -> View:
        setattr(view, _ATTR, needed)
        return view

    return mark


def level_of(app: Flask, endpoint: str | None) -> Level | None:
    """The level declared for an endpoint, or None when nobody declared one."""
    if not endpoint:
        return None
    if endpoint in BUILT_IN:
        return BUILT_IN[endpoint]
    view = app.view_functions.get(endpoint)
    return getattr(view, _ATTR, None)


def rules(app: Flask) -> dict[str, Level]:
    """Every registered endpoint that has a rule, with its level: the merged table."""
    found: dict[str, Level] = {}
    for url_rule in app.url_map.iter_rules():
        level = level_of(app, url_rule.endpoint)
        if level is not None:
            found[url_rule.endpoint] = level
    return found


def unruled(app: Flask) -> list[str]:
    """Registered endpoints that declare no level (refused to everyone)."""
    return sorted({r.endpoint for r in app.url_map.iter_rules()
                   if level_of(app, r.endpoint) is None})


def check(app: Flask) -> None:
    """Refuse to start an app with a route nobody decided about."""
    missing = unruled(app)
    if missing:
        raise RuntimeError(f"routes with no access rule: {', '.join(missing)}")


def user_level() -> Level:
    if not current_user.is_authenticated:
        return Level.ANONYMOUS
    return current_user.level


def enforce() -> Any:
    """before_request: apply the reached view's rule."""
    if request.endpoint is None:
        return None  # 404/405: let Flask answer
    needed = level_of(current_app, request.endpoint)
    if needed is None:
        current_app.logger.error("route %s has no access rule: refused", request.endpoint)
        abort(403)
    if user_level() >= needed:
        return None
    if not current_user.is_authenticated and request.method == "GET":
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
    abort(403)


def init_app(app: Flask) -> None:
    app.before_request(enforce)
