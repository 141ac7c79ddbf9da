"""Accounts: staff and volunteers. Personal values are encrypted; email is found by blind index."""

from __future__ import annotations

import secrets
from datetime import datetime
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy import ForeignKey, Index, String, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from aid.extensions import Model
from aid.labels import Labels
from aid.security.access import Level
from aid.security.crypto import Encrypted, blind_index_column, lower
from aid.timeutil import utcnow


class Role(StrEnum):
    ADMIN = "admin"
    COORDINATOR = "coordinator"
    VOLUNTEER = "volunteer"


class Status(StrEnum):
    APPLIED = "applied"
    VETTED = "vetted"
    SUSPENDED = "suspended"


# What pages show for a role or a status (the stored values are codes, never shown).
ROLE_LABELS = Labels({Role.VOLUNTEER: _l("Volunteer"), Role.COORDINATOR: _l("Coordinator"),
                      Role.ADMIN: _l("Admin")})
STATUS_LABELS = Labels({Status.APPLIED: _l("Applied"), Status.VETTED: _l("Vetted"),
                        Status.SUSPENDED: _l("Suspended")})


def new_session_token() -> str:
    return secrets.token_urlsafe(24)


class User(UserMixin, Model):
    __tablename__ = "users"
    __table_args__ = (
        # The admin's account list, newest first (all, or one role): an index walk from the
        # page's key, never a sort of every account.
        Index("ix_users_created_order", "created_at", "id"),
        Index("ix_users_role_created_order", "role", "created_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(Encrypted("users.email"))
    email_index: Mapped[str] = blind_index_column("users.email", "email", lower, unique=True)
    display_name: Mapped[str] = mapped_column(Encrypted("users.display_name"))
    role: Mapped[str] = mapped_column(String(16), default=Role.VOLUNTEER, index=True)
    status: Mapped[str] = mapped_column(String(16), default=Status.APPLIED, index=True)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    # A second password for signing in under coercion (aid.auth.duress); never the real one.
    duress_password_hash: Mapped[str | None] = mapped_column(String(255))
    duress_lock: Mapped[bool] = mapped_column(default=False, server_default=false())
    duress_session_token: Mapped[str | None] = mapped_column(String(64))
    totp_secret: Mapped[str | None] = mapped_column(Encrypted("users.totp_secret"))
    totp_confirmed: Mapped[bool] = mapped_column(default=False)
    totp_last_step: Mapped[int | None]
    # Part of the login cookie: changing it (password change, suspension, "sign out
    # everywhere") ends every session of the account at its next request.
    session_token: Mapped[str] = mapped_column(String(64), default=new_session_token)
    locale: Mapped[str | None] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]

    recovery_codes: Mapped[list[RecoveryCode]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )

    # Set (not stored) when this object was loaded for a duress session: see aid.auth.duress.
    under_duress = False

    def get_id(self) -> str:
        token = self.duress_session_token if self.under_duress else self.session_token
        return f"{self.id}:{token}"

    @property
    def is_active(self) -> bool:
        return self.status != Status.SUSPENDED or self.under_duress

    @property
    def needs_totp(self) -> bool:
        return self.role in (Role.ADMIN, Role.COORDINATOR)

    @property
    def level(self) -> Level:
        if self.status == Status.SUSPENDED and not self.under_duress:
            return Level.ANONYMOUS
        if self.role == Role.ADMIN:
            return Level.ADMIN
        if self.role == Role.COORDINATOR:
            return Level.COORDINATOR
        return Level.VETTED if self.status == Status.VETTED else Level.APPLIED


class RecoveryCode(Model):
    """A one-time TOTP substitute; only its hash is kept, and it is deleted when used."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    user: Mapped[User] = relationship(back_populates="recovery_codes")


class SetupToken(Model):
    """A one-time link an admin hands a new staff member to choose their password."""

    __tablename__ = "setup_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime]
