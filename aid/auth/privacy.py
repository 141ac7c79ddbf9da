"""What accounts keep about a person, registered with privacy (export, deletion, purge)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from aid.auth.models import Role, SetupToken, User
from aid.extensions import db
from aid.privacy import registry
from aid.privacy.owndata import when
from aid.privacy.service import delete_where

registry.not_covered("recovery_codes", registry.AREA_WIPE,
                     "accounts are not tied to one area; the full wipe empties it")
registry.not_covered("users", registry.AREA_WIPE,
                     "accounts are not tied to one area; the full wipe empties it")


def last_admin(user: User) -> bool:
    """The only admin may not delete their own account: the network would have none."""
    admins = db.session.scalar(select(func.count(User.id)).where(User.role == Role.ADMIN))
    return user.role == Role.ADMIN and (admins or 0) <= 1


@registry.on_export(registry.ACCOUNT, tables=("users",))
def export_account(user: User) -> dict[str, Any]:
    return {"account": {"email": user.email, "name": user.display_name, "role": user.role,
                        "status": user.status, "language": user.locale,
                        "two_step_sign_in": bool(user.totp_confirmed),
                        "created_at": when(user.created_at),
                        "last_sign_in_at": when(user.last_login_at)}}


@registry.on_forget(registry.ACCOUNT, tables=("users", "recovery_codes", "setup_tokens"),
                    order=100)
def delete_account_row(user: User, _reason: str) -> None:
    """Last of all: the account itself. Profile, vouches, signups, codes and set-up links go
    with it (ON DELETE CASCADE); audit rows keep the account's number only."""
    db.session.delete(user)


@registry.on_purge("setup_tokens", tables=("setup_tokens",))
def purge_setup_tokens(cutoff: datetime, dry_run: bool = False) -> int:
    return delete_where(SetupToken, SetupToken.expires_at <= cutoff, dry_run)
