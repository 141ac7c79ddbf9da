"""Account rules: sign-in with throttling, second factor, passwords, sessions, staff set-up.

Views, the CLI and `aid demo` all go through here.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum

from flask import current_app
from limits import RateLimitItem, parse
from sqlalchemy import func, select

from aid.auth import duress
from aid.auth.models import RecoveryCode, Role, SetupToken, Status, User, new_session_token
from aid.extensions import client_key, db, limiter
from aid.security import audit, links, onetime, passwords, totp
from aid.security.audit import AuditEvent
from aid.security.crypto import blind_index
from aid.timeutil import utcnow

# Failures from one client against one account lock that pair for a while (LOGIN_LOCK);
# failures from everywhere against one account lock it for at most an hour (ACCOUNT_LOCK).
# Both expire on their own, so nobody can lock a coordinator out for good, and an attacker's
# failures from their own machine do not lock the coordinator out of theirs.
SETUP_LINK_HOURS = 72


class LoginResult(Enum):
    OK = "ok"
    BAD = "bad"
    LOCKED = "locked"


@dataclass
class PasswordStep:
    result: LoginResult
    user: User | None = None
    duress: bool = False  # the account's duress password was given (aid.auth.duress)


def normalise_email(email: str) -> str:
    return email.strip().lower()


def email_index(email: str) -> str:
    index = blind_index(normalise_email(email), "users.email")
    assert index is not None
    return index


def find_by_email(email: str) -> User | None:
    if not email.strip():
        return None
    return db.session.scalar(select(User).where(User.email_index == email_index(email)))


def create_user(
    email: str,
    display_name: str,
    role: Role | str = Role.VOLUNTEER,
    password: str | None = None,
    status: Status | str | None = None,
) -> User:
    if find_by_email(email):
        raise ValueError("an account with this email already exists")
    if status is None:
        status = Status.VETTED if role != Role.VOLUNTEER else Status.APPLIED
    user = User(
        email=normalise_email(email), email_index=email_index(email),
        display_name=display_name.strip(), role=str(role), status=str(status),
        password_hash=passwords.hash_password(password) if password else None,
    )
    db.session.add(user)
    db.session.flush()
    audit.record("user.created", "user", user.id, f"role {user.role}")
    return user


# -- throttling -------------------------------------------------------------------------

def _throttle_ids(email: str) -> tuple[str, str]:
    return email_index(email)[:32], client_key()


def _locks() -> tuple[RateLimitItem, RateLimitItem]:
    cfg = current_app.config
    return parse(cfg["LOGIN_LOCK"]), parse(cfg["ACCOUNT_LOCK"])


def lock_minutes() -> int:
    return max(1, _locks()[0].get_expiry() // 60)


def is_locked(email: str) -> bool:
    account, client = _throttle_ids(email)
    pair, whole = _locks()
    strategy = limiter.limiter
    return not (strategy.test(pair, "login", account, client)
                and strategy.test(whole, "login", account))


def record_failure(email: str) -> None:
    account, client = _throttle_ids(email)
    pair, whole = _locks()
    limiter.limiter.hit(pair, "login", account, client)
    limiter.limiter.hit(whole, "login", account)


def unlock(user: User) -> None:
    account = user.email_index[:32]
    limiter.limiter.clear(_locks()[1], "login", account)
    audit.record("user.unlocked", "user", user.id)
    db.session.commit()


# -- sign-in ----------------------------------------------------------------------------

def check_password(email: str, password: str) -> PasswordStep:
    """First step of sign-in. Says nothing about whether the account exists."""
    if is_locked(email):
        return PasswordStep(LoginResult.LOCKED)
    user = find_by_email(email)
    ok = passwords.verify_password(user.password_hash if user else None, password)
    # Always a second check, so a duress password takes exactly as long as any other.
    duress = passwords.verify_password(user.duress_password_hash if user else None, password)
    if duress and not ok and user is not None and user.is_active and user.needs_totp:
        return PasswordStep(LoginResult.OK, user, duress=True)
    if not ok or user is None or not user.is_active:
        record_failure(email)
        if user is not None:
            audit.record("auth.login_failed", "user", user.id, actor_id=user.id)
            db.session.commit()
        return PasswordStep(LoginResult.BAD)
    if passwords.needs_rehash(user.password_hash or ""):
        user.password_hash = passwords.hash_password(password)
        db.session.commit()
    return PasswordStep(LoginResult.OK, user)


def check_second_factor(user: User, code: str, email: str) -> LoginResult:
    """A six-digit code (each usable once) or one of the account's recovery codes."""
    if is_locked(email):
        return LoginResult.LOCKED
    if totp.use_code(user, code):
        db.session.commit()
        return LoginResult.OK
    wanted = totp.hash_recovery_code(code)
    for recovery in user.recovery_codes:
        if secrets.compare_digest(recovery.code_hash, wanted):
            # Spent by whichever parallel sign-in deletes the row; the others are refused.
            if not onetime.consume(RecoveryCode, recovery.id):
                break
            db.session.expire(user, ["recovery_codes"])
            audit.record("auth.recovery_code_used", "user", user.id, actor_id=user.id)
            db.session.commit()
            return LoginResult.OK
    record_failure(email)
    audit.record("auth.totp_failed", "user", user.id, actor_id=user.id)
    db.session.commit()
    return LoginResult.BAD


SIGNUP_NOTICE = "auth.signup_with_existing_email"


def note_signup_with_existing_email(email: str) -> None:
    """Someone used this account's email on the public sign-up form: the form answered as
    for a new email, and the account is told at its next sign-in."""
    user = find_by_email(email)
    if user is not None:
        audit.record(SIGNUP_NOTICE, "user", user.id, actor_id=None)
        db.session.commit()


def signup_attempts_since(user: User, since: datetime | None) -> int:
    query = select(func.count(AuditEvent.id)).where(
        AuditEvent.action == SIGNUP_NOTICE, AuditEvent.target_id == user.id,
        AuditEvent.target_type == "user")
    if since is not None:
        query = query.where(AuditEvent.at > since)
    return db.session.scalar(query) or 0


def step_up(user: User, code: str) -> bool:
    """A fresh authenticator code for a sensitive action (each code works once). Commits."""
    ok = totp.use_code(user, code)
    db.session.commit()
    return ok


def signed_in(user: User) -> None:
    user.last_login_at = utcnow()
    audit.record("auth.login", "user", user.id, actor_id=user.id)
    db.session.commit()


# -- second factor enrolment ------------------------------------------------------------

def begin_totp(user: User) -> str:
    """The secret for the enrolment page (not usable until confirmed with a code).

    Kept across reloads of the page, so a phone that already scanned it stays valid.
    """
    if not user.totp_secret:
        user.totp_secret = totp.new_secret()
        user.totp_confirmed = False
        db.session.commit()
    return user.totp_secret or ""


def confirm_totp(user: User, code: str) -> list[str] | None:
    """Turn the second factor on once the person proves their app shows the right code."""
    if not totp.use_code(user, code, confirmed=False):
        return None
    user.totp_confirmed = True
    codes = replace_recovery_codes(user, commit=False)
    audit.record("auth.totp_enrolled", "user", user.id, actor_id=user.id)
    db.session.commit()
    return codes


def enrol_totp_now(user: User) -> str:
    """Shell enrolment for the first admin: the secret is confirmed at once; returns the URI."""
    user.totp_secret = totp.new_secret()
    user.totp_confirmed = True
    user.totp_last_step = None
    return totp.provisioning_uri(user.totp_secret, user.email)


def reset_second_factor(user: User) -> None:
    """For a lost phone: the next sign-in enrols a new authenticator."""
    user.totp_secret = None
    user.totp_confirmed = False
    user.totp_last_step = None
    user.recovery_codes = []
    user.session_token = new_session_token()
    audit.record("auth.totp_reset", "user", user.id)
    db.session.commit()


def replace_recovery_codes(user: User, commit: bool = True) -> list[str]:
    codes = totp.new_recovery_codes()
    user.recovery_codes = [RecoveryCode(code_hash=totp.hash_recovery_code(c)) for c in codes]
    if commit:
        audit.record("auth.recovery_codes_replaced", "user", user.id)
        db.session.commit()
    return codes


# -- passwords and sessions -------------------------------------------------------------

def set_password(user: User, new_password: str) -> None:
    user.password_hash = passwords.hash_password(new_password)
    user.session_token = new_session_token()  # every other session of the account ends
    audit.record("auth.password_changed", "user", user.id)
    db.session.commit()


def end_sessions(user: User, action: str = "auth.sessions_ended") -> None:
    user.session_token = new_session_token()
    audit.record(action, "user", user.id)
    db.session.commit()


def load_session_user(cookie_id: str) -> User | None:
    """Flask-Login's loader: the id and the account's current session token must both match."""
    user_id, _, token = cookie_id.partition(":")
    if not user_id.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    if user is None:
        return None
    if secrets.compare_digest(user.session_token, token):
        return user if user.is_active else None
    # A duress session goes on even once the account is locked.
    return duress.mark(user) if duress.is_duress_token(user, token) else None


def set_status(user: User, status: Status) -> None:
    if user.status == status:
        return
    previous, user.status = user.status, str(status)
    if status == Status.SUSPENDED:
        user.session_token = new_session_token()
    audit.record("user.status_changed", "user", user.id, f"{previous} -> {status}")
    db.session.commit()


def set_role(user: User, role: Role) -> None:
    if user.role == role:
        return
    previous, user.role = user.role, str(role)
    user.session_token = new_session_token()  # new rights take effect at a fresh sign-in
    audit.record("user.role_changed", "user", user.id, f"{previous} -> {role}")
    db.session.commit()


# -- one-time set-up links for staff ------------------------------------------------------

def new_setup_token(user: User) -> str:
    token, digest = links.issue()
    db.session.add(SetupToken(user_id=user.id, token_hash=digest,
                              expires_at=utcnow() + timedelta(hours=SETUP_LINK_HOURS)))
    audit.record("user.setup_link_created", "user", user.id)
    db.session.commit()
    return token


def _setup_row(token: str) -> SetupToken | None:
    digest = links.digest(token)
    row = db.session.scalar(select(SetupToken).where(SetupToken.token_hash == digest)) \
        if digest else None
    return None if row is None or row.expires_at < utcnow() else row


def user_for_setup_token(token: str) -> User | None:
    row = _setup_row(token)
    return db.session.get(User, row.user_id) if row else None


def use_setup_token(token: str, password: str) -> User | None:
    row = _setup_row(token)
    if row is None or not onetime.consume(SetupToken, row.id):
        db.session.rollback()
        return None
    user = db.session.get(User, row.user_id)
    if user is None:
        db.session.commit()
        return None
    set_password(user, password)
    return user
