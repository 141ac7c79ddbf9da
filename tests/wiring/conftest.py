"""Features wired through the SMS gateway: the shared fake Twilio (tests/fakes) and the app
with its Twilio backend pointed at the fake."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from aid.auth.models import Role, User
from aid.extensions import db
from tests.volunteers import factories


@pytest.fixture
def app(twilio_app: Flask) -> Flask:
    return twilio_app


@pytest.fixture
def client(https_client: FlaskClient) -> FlaskClient:
    return https_client


_phones = iter(range(200, 9999))


def new_phone() -> str:
    return f"+1202555{next(_phones):04d}"


@pytest.fixture
def volunteer(app):
    """A vetted volunteer with their own phone (and language)."""

    def make(phone: str | None = None, languages: tuple[str, ...] = ("en",), **kw) -> User:
        return factories.volunteer(phone=phone or new_phone(), languages=languages, **kw)

    return make


@pytest.fixture
def coordinator(app):
    """A coordinator; with `phone`, one who also has a volunteer profile holding it."""

    def make(phone: str | None = None) -> User:
        user = factories.volunteer(phone=phone or new_phone())
        user.role = Role.COORDINATOR
        db.session.commit()
        return user

    return make
