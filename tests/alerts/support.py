"""Alert test data: subscribers in one commit, a draft with sensible defaults, an alert
composed and sent, a responder volunteer, a phone photo carrying its metadata."""

from __future__ import annotations

import io

from PIL import Image

from aid.alerts import service
from aid.alerts.models import Alert
from aid.alerts.service import Draft
from aid.auth.models import Role, Status, User
from aid.extensions import db
from aid.network.models import Area
from aid.phones import phone_index
from aid.sms.models import Subscriber, SubscriberTopic
from aid.volunteers import service as volunteers
from aid.volunteers.service import ProfileData

_numbers = iter(range(10**6))


def add_subscribers(n: int, language: str = "en", area_ids: list[int] | None = None,
                    topics: tuple[str, ...] = ("enforcement",)) -> list[str]:
    """`n` active subscribers in one commit; returns their numbers."""
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


def responder(make_user, area_id: int, opted_in: bool = True, phone: str = "+12025550161"):
    user = make_user(Role.VOLUNTEER, Status.VETTED)
    volunteers.add_profile(user, ProfileData(
        display_name=user.display_name, phone=phone, languages=["es"], skills=["legal_observer"],
        area_ids=[area_id], availability=[], referral="Rosa", responder=opted_in))
    db.session.commit()
    return user


GPS = 0x8825


def photo_with_exif(size: tuple[int, int] = (2400, 1800)) -> bytes:
    """A JPEG as a phone makes it: camera make and model, the time, and where it was taken."""
    img = Image.new("RGB", size, (200, 40, 40))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "Model X"  # Model
    exif[0x0132] = "2026:12:01 09:14:00"  # DateTime
    exif[GPS] = {1: "N", 2: (34.0, 3.0, 12.5), 3: "W", 4: (118.0, 14.0, 40.2)}
    out = io.BytesIO()
    img.save(out, "JPEG", exif=exif, quality=90)
    return out.getvalue()
