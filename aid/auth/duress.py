"""Duress sign-in: a second password for when a staff member is forced to sign in.

Signing in with it looks exactly like a normal sign-in (both hashes are checked on every
attempt, so the time taken is the same; the same pages and codes follow, the second factor
included). Behind it:

- an audit row is written and the admins and other coordinators are texted at once;
- the session is marked by a token of its own (stored on the account, never in the cookie in
  a readable form: the cookie holds an id and a random token either way);
- every database read in that session sees only a handful of harmless tables (the network's
  settings, areas, retention) and the account itself: lists are empty, counts are zero;
- any change (a POST) is answered as if done and does nothing, so no alert can be sent;
- if the account chose to, its real sessions end and the account is suspended until an admin
  brings it back (the duress session goes on working, to stay believable).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from urllib.parse import urlsplit

from flask import Flask, current_app, g, has_app_context, redirect, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from sqlalchemy import Table, event, false, select
from sqlalchemy.orm import ORMExecuteState, Session, with_loader_criteria

from aid.auth.models import Role, Status, User, new_session_token
from aid.extensions import Model, db
from aid.security import audit, passwords
from aid.sms.gateway import queue_sms
from aid.timeutil import utcnow

# Tables a duress session may read: nothing personal, and what the pages need to draw.
VISIBLE = frozenset({"network_settings", "areas", "retention_settings", "worker_beats",
                     "shift_kind_defaults"})
# POSTs that stay real under duress: leaving, and the language switch.
ALLOWED_POSTS = frozenset({"auth.logout", "core.set_language"})


class DuressError(ValueError):
    """The duress password cannot be set as asked (the message says why)."""


def set_duress_password(user: User, password: str | None, lock: bool) -> None:
    """Set (or with None, clear) the account's duress password; never equal to the real one."""
    if password is not None:
        if passwords.verify_password(user.password_hash, password):
            raise DuressError(_("The duress password must differ from your real password."))
        user.duress_password_hash = passwords.hash_password(password)
    else:
        user.duress_password_hash = None
    user.duress_lock = bool(lock) and password is not None
    audit.record("auth.duress_set" if password is not None else "auth.duress_cleared",
                 "user", user.id, actor_id=user.id)
    db.session.commit()


def begin(user: User) -> str:
    """A duress password was given: raise the alarm and return the session's token."""
    user.duress_session_token = new_session_token()
    audit.record("auth.duress_sign_in", "user", user.id,
                 "locked" if user.duress_lock else "", actor_id=user.id)
    if user.duress_lock:
        user.session_token = new_session_token()  # the account's real sessions end now
    db.session.commit()
    _alert_others(user)
    return user.duress_session_token


# How a staff member's phone is found: the volunteers feature (profiles hold the phone)
# registers it, since shared sign-in code never imports a feature.
_phone_lookup: list[Callable[[int], str | None]] = []


def reach_staff_with(fn: Callable[[int], str | None]) -> None:
    """Register the lookup from a user id to the phone a duress alert is texted to."""
    _phone_lookup[:] = [fn]


def _alert_others(user: User) -> None:
    """Text every admin and coordinator but this one (those with a phone on their profile)."""
    when = utcnow().strftime("%Y-%m-%d %H:%M UTC")
    body = _("Aid: %(name)s signed in with their duress password at %(when)s. They may be "
             "under coercion. Do not send them anything sensitive.",
             name=user.display_name, when=when)
    staff = db.session.scalars(select(User).where(
        User.role.in_([Role.ADMIN, Role.COORDINATOR]), User.id != user.id,
        User.status != Status.SUSPENDED))
    for other in list(staff):
        phone = _phone_lookup[0](other.id) if _phone_lookup else None
        if phone:
            try:
                queue_sms(phone, body, purpose="duress")
            except Exception:  # noqa: BLE001 (one bad number must not stop the others)
                current_app.logger.exception("duress alert to staff %s failed", other.id)


def is_duress_token(user: User, token: str) -> bool:
    return bool(user.duress_session_token) and secrets.compare_digest(
        user.duress_session_token or "", token)


def mark(user: User) -> User:
    """This request is a duress session of `user`: hide everything from here on."""
    user.under_duress = True
    g.duress_user_id = user.id
    return user


def finish(user: User) -> None:
    """After the duress session has started: suspend the account if it asked for a lock."""
    if user.duress_lock and user.status != Status.SUSPENDED:
        user.status = str(Status.SUSPENDED)
        db.session.commit()


def active() -> bool:
    return has_app_context() and g.get("duress_user_id") is not None


def _hide(state: ORMExecuteState) -> None:
    if not state.is_select or not active():
        return
    uid = g.duress_user_id
    options = []
    for mapper in Model.registry.mappers:
        # Every model maps a table; anything else would have no name and so be hidden.
        name = mapper.local_table.name if isinstance(mapper.local_table, Table) else ""
        if name in VISIBLE:
            continue
        if mapper.class_ is User:
            options.append(with_loader_criteria(User, User.id == uid, include_aliases=True))
        elif name == "recovery_codes":
            options.append(with_loader_criteria(mapper.class_, mapper.class_.user_id == uid))
        else:
            options.append(with_loader_criteria(mapper.class_, false(), include_aliases=True))
    state.statement = state.statement.options(*options)


def _refuse_changes() -> ResponseReturnValue | None:
    """Under duress a form "works" (same redirect) but changes nothing."""
    if request.method == "POST" and active() and request.endpoint not in ALLOWED_POSTS:
        db.session.rollback()
        back = urlsplit(request.referrer or "").path
        return redirect(back if back.startswith("/") and not back.startswith("//") else "/")
    return None


def init_app(app: Flask) -> None:
    if not getattr(Session, "_aid_duress_hook", False):
        event.listen(Session, "do_orm_execute", _hide)
        Session._aid_duress_hook = True  # type: ignore[attr-defined]
    app.before_request(_refuse_changes)
