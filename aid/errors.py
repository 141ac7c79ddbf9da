"""Domain errors: what services raise when a rule of the house says no.

Services raise these and never call `abort()`; `create_app` registers one handler
(`aid.handle_domain_error`) that turns them into what the person sees. A view that should
come back to a page with the message flashed declares it with `@errors.back_to(endpoint)`
(the endpoint is built from the same view arguments); anywhere else the error's status code
answers with the usual error page. `message` is the sentence shown to the person (a lazy
string, so it is translated when shown); `str(exc)` is a short English reason for logs and
tests, never shown.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

View = TypeVar("View", bound=Callable[..., Any])
_BACK = "aid_error_back"


class DomainError(Exception):
    """Base of the vocabulary; catch this to handle any of them."""

    status = 400

    def __init__(self, reason: str = "", message: Any = None) -> None:
        super().__init__(reason or (str(message) if message is not None else type(self).__name__))
        self.message = message

    @property
    def reason(self) -> str:
        """What the person is told (the translated message, or the short reason)."""
        return str(self.message) if self.message is not None else str(self)


class Invalid(DomainError):
    """The input breaks a rule the form could not check on its own."""

    status = 400


class NotAllowed(DomainError):
    """This person may not do this (role, ownership, need-to-know)."""

    status = 403


class NotFound(DomainError):
    """No such record, or one this person may not know exists: answered as 404."""

    status = 404


class Conflict(DomainError):
    """The record's state does not allow this now (closed, already sent, full)."""

    status = 409


def back_to(endpoint: str) -> Callable[[View], View]:
    """On a domain error, flash its message and redirect to `endpoint` (same view args)."""

    def mark(view: View) -> View:
        setattr(view, _BACK, endpoint)
        return view

    return mark


def back_endpoint(view: Callable[..., Any] | None) -> str | None:
    return getattr(view, _BACK, None)
