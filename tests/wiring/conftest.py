"""Features wired through the SMS gateway: the SMS tests' fake Twilio, signed webhooks and
app (Twilio backend pointed at the fake) are reused, not copied."""

from __future__ import annotations

import pytest

from aid.auth.models import Role, User
from aid.extensions import db
from aid.sms.models import OutboundMessage
from tests.sms.conftest import (  # noqa: F401  (fixtures used by these tests)
    _router_restored,
    app,
    client,
    fake_twilio_server,
    twilio,
)
from tests.volunteers import factories

_phones = iter(range(200, 9999))


def new_phone() -> str:
    return f"+1202555{next(_phones):04d}"


@pytest.fixture
def volunteer(app):  # noqa: F811 (`app` is the SMS tests' fixture, imported above)
    """A vetted volunteer with their own phone (and language)."""

    def make(phone: str | None = None, languages: tuple[str, ...] = ("en",), **kw) -> User:
        return factories.volunteer(phone=phone or new_phone(), languages=languages, **kw)

    return make


@pytest.fixture
def coordinator(app):  # noqa: F811
    """A coordinator; with `phone`, one who also has a volunteer profile holding it."""

    def make(phone: str | None = None) -> User:
        user = factories.volunteer(phone=phone or new_phone())
        user.role = Role.COORDINATOR
        db.session.commit()
        return user

    return make


def texts_to(fake, number: str) -> list[str]:
    """Bodies the fake Twilio received for `number`."""
    return [form["Body"] for form in fake.sent if form.get("To") == number]


def outbox(purpose: str) -> list[OutboundMessage]:
    return list(db.session.scalars(db.select(OutboundMessage).where(
        OutboundMessage.purpose == purpose).order_by(OutboundMessage.id)))
