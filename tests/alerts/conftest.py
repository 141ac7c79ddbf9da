"""Alert tests run the real fan-out (thread pool, claims) through the real `twilio` client
against the fake Twilio server on 127.0.0.1, on SQLite or on PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask

from aid.admin.service import add_area
from aid.alerts import service
from aid.alerts.models import Alert
from aid.alerts.service import Draft
from aid.auth.models import Role, Status, User
from aid.extensions import db, limiter
from aid.phones import phone_index
from aid.sms.models import Subscriber, SubscriberTopic
from tests.sms.conftest import (  # noqa: F401 (fixtures)
    ACCOUNT_SID,
    AUTH_TOKEN,
    PUBLIC_URL,
    fake_twilio_server,
    twilio,
)
from tests.sms.fake_twilio import FakeTwilio


@pytest.fixture
def app(app_factory, twilio: FakeTwilio) -> Iterator[Flask]:  # noqa: F811
    application = app_factory(
        AID_SMS_BACKEND="twilio", TWILIO_ACCOUNT_SID=ACCOUNT_SID, TWILIO_AUTH_TOKEN=AUTH_TOKEN,
        TWILIO_FROM_NUMBER="+12025550100", TWILIO_API_BASE=twilio.url, AID_PUBLIC_URL=PUBLIC_URL,
        AID_SMS_RETRY_SECONDS="0.001", AID_ALERT_APPROVAL_THRESHOLD="50",
        AID_ALERT_CONCURRENCY="4", AID_ALERT_BATCH="20", AID_ALERT_JOBS="1",
    )
    with application.app_context():
        limiter.reset()
        yield application


@pytest.fixture
def client(app: Flask):
    test_client = app.test_client()
    test_client.environ_base["wsgi.url_scheme"] = "https"
    test_client.environ_base["HTTP_REFERER"] = "https://localhost/"
    return test_client


@pytest.fixture
def areas(app: Flask) -> dict[str, int]:
    return {name: add_area(name).id for name in ("Eastside", "Riverside")}


_numbers = iter(range(10**6))


def add_subscribers(n: int, language: str = "en", area_ids: list[int] | None = None,
                    topics: tuple[str, ...] = ("enforcement",)) -> list[str]:
    """`n` active subscribers in one commit; returns their numbers."""
    from aid.admin.models import Area

    area_rows = [db.session.get(Area, a) for a in area_ids or []]
    numbers = []
    for _ in range(n):
        number = f"+1202555{next(_numbers):04d}"
        sub = Subscriber(phone=number, phone_index=phone_index(number), language=language,
                         status="active", source="web")
        sub.areas = list(area_rows)
        sub.topic_rows = [SubscriberTopic(topic=t) for t in topics]
        db.session.add(sub)
        numbers.append(number)
    db.session.commit()
    return numbers


@pytest.fixture
def coordinator(make_user) -> User:
    return make_user(Role.COORDINATOR, Status.VETTED)


def draft(**overrides: object) -> Draft:
    values: dict = dict(bodies={"en": "ICE vans at Main & 3rd. Stay inside, do not open the "
                                      "door.", "es": ""},
                        area_ids=[], topics=["enforcement"], severity="Severe",
                        urgency="Immediate", certainty="Observed", link="", expires_hours=6,
                        public=True, firsthand="I saw three vans myself at 9:10.")
    values.update(overrides)
    return Draft(**values)


def sent_alert(author: User, approver: User | None = None, **overrides: object) -> Alert:
    """An alert composed by `author` and sent (approved by `approver` when it needs one)."""
    alert = service.create_draft(draft(**overrides), author)
    if service.submit(alert, author) == "pending":
        service.approve(alert, approver or author)
    return alert
