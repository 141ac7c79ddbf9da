"""Twilio's webhooks, guarded one way: `@twilio_webhook` under the route.

Every route Twilio posts to (texts arriving and their delivery reports, every step of a call)
is declared so::

    @bp.route("/voice/inbound", methods=["POST"])
    @twilio_webhook
    def inbound() -> ResponseReturnValue:
        ...

and gets the whole guard in one place:

- `X-Twilio-Signature` must be Twilio's signature of the request, made with the auth token
  over the public URL (`AID_PUBLIC_URL` + path: behind a proxy the URL Flask sees differs
  from the one Twilio signed). A bad or missing signature gets 403 before the view reads or
  stores anything;
- exempt from CSRF (Twilio cannot have our token: the signature stands in for it);
- open to anyone holding the signature (`Level.PUBLIC`);
- rate-limited (`AID_SMS_WEBHOOK_LIMIT`) only when unsigned: Twilio does not retry, so a
  signed post refused in a burst would be a text or a call lost.

`endpoints(app)` lists the routes declared so (the tests post a bad signature to each).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar, cast

from flask import Flask, abort, current_app, g, request
from twilio.request_validator import RequestValidator

from aid.extensions import csrf, limiter
from aid.security import access
from aid.security.access import Level

View = TypeVar("View", bound=Callable[..., Any])
_MARK = "aid_twilio_webhook"


def signed() -> bool:
    """Whether the request carries Twilio's valid signature (worked out once per request)."""
    if "twilio_signed" not in g:
        token = current_app.config["TWILIO_AUTH_TOKEN"]
        signature = request.headers.get("X-Twilio-Signature", "")
        url = current_app.config["PUBLIC_URL"] + request.full_path.rstrip("?")
        g.twilio_signed = bool(token and signature and RequestValidator(token).validate(
            url, request.form, signature))
    return bool(g.twilio_signed)


def webhook_limit() -> str:
    """The limit on unsigned posts to a webhook (signed ones are exempt)."""
    return str(current_app.config["SMS_WEBHOOK_LIMIT"])


def twilio_webhook(view: View) -> View:
    """Declare `view` a Twilio webhook: signature (403), CSRF exemption, access rule and rate
    limit, in that one way. Place it directly under `@bp.route`."""

    @functools.wraps(view)
    def checked(*args: Any, **kwargs: Any) -> Any:
        if not signed():
            abort(403)
        return view(*args, **kwargs)

    guarded = limiter.limit(webhook_limit, exempt_when=signed)(checked)
    guarded = access.rule(Level.PUBLIC)(guarded)
    guarded = csrf.exempt(guarded)
    setattr(guarded, _MARK, True)
    return cast(View, guarded)


def is_twilio_webhook(view: Callable[..., Any] | None) -> bool:
    return bool(getattr(view, _MARK, False))


def endpoints(app: Flask) -> set[str]:
    """The endpoints of every route declared with `@twilio_webhook`."""
    return {rule.endpoint for rule in app.url_map.iter_rules()
            if is_twilio_webhook(app.view_functions.get(rule.endpoint))}
