"""How the notification service reaches a person: their email, phone and language.

Registered with `aid.notify.service` at start-up, so notify never reads this feature's tables.
"""

from __future__ import annotations

from sqlalchemy import select

from aid.auth.models import Role, Status, User
from aid.extensions import db
from aid.notify.service import Directory, Recipient, register_directory
from aid.volunteers.service import language_of, phone_of


def recipient(user_id: int) -> Recipient | None:
    user = db.session.get(User, user_id)
    if user is None or not user.is_active:
        return None
    return Recipient(user_id=user.id, email=user.email or None, phone=phone_of(user.id),
                     locale=language_of(user))


def coordinators() -> list[int]:
    return list(db.session.scalars(select(User.id).where(
        User.role.in_([Role.COORDINATOR, Role.ADMIN]), User.status == Status.VETTED)
        .order_by(User.id)))


def register() -> None:
    register_directory(Directory(person=recipient, coordinators=coordinators))
