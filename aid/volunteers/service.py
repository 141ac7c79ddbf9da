"""Volunteer rules: sign-up, profiles, vouching, vetting decisions, training, calendar tokens.

Views, the CLI and tasks call these; each commits its own change with its audit row.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from flask import current_app, has_request_context
from flask_babel import get_locale
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import Select, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, load_only, selectinload

from aid.auth import duress
from aid.auth import service as accounts
from aid.auth.models import Role, Status, User
from aid.errors import Conflict
from aid.extensions import db
from aid.network.models import Area
from aid.network.service import current_settings
from aid.notify.service import notify, notify_on_duty
from aid.pagination import Page, keyset_paginate
from aid.phones import phone_index
from aid.security import audit, links
from aid.security.crypto import blind_index
from aid.sms.gateway import queue_sms
from aid.statistics import keep_statistics
from aid.timeutil import utcnow
from aid.volunteers.choices import DECISION_REFUSALS, VOUCH_REFUSALS
from aid.volunteers.models import VolunteerProfile, Vouch


class VettingError(Conflict):
    """A decision that the rules do not allow: `str(exc)` is its code."""


class VouchRefused(VettingError):
    def __init__(self, code: str) -> None:
        super().__init__(code, VOUCH_REFUSALS.get(code))


class DecisionRefused(VettingError):
    def __init__(self, code: str) -> None:
        super().__init__(code, DECISION_REFUSALS.get(code))


class Decision(StrEnum):
    APPROVE = "approve"
    CONFIRM = "confirm"  # approve on the strength of enough vouches
    SUSPEND = "suspend"
    REINSTATE = "reinstate"
    OFFBOARD = "offboard"
    ORIENTATION = "orientation"
    TRAINING = "training"


@dataclass
class ProfileData:
    display_name: str
    phone: str
    languages: list[str]
    skills: list[str]
    area_ids: list[int]
    availability: list[str]
    referral: str
    responder: bool = False


def vouches_needed() -> int:
    return max(1, int(current_app.config["VOUCHES_NEEDED"]))


def conduct_version() -> str:
    """A short fingerprint of the code of conduct text the person agreed to."""
    locale = str(get_locale()) if has_request_context() else "en"
    text = current_settings().conduct_for(locale)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _secret_index(value: str, context: str) -> str:
    index = blind_index(value, context)
    assert index is not None
    return index


def _apply(profile: VolunteerProfile, data: ProfileData) -> None:
    profile.phone = data.phone
    profile.phone_index = phone_index(data.phone)
    profile.languages = ",".join(data.languages)
    profile.skills = ",".join(data.skills)
    profile.availability = ",".join(data.availability)
    profile.referral = data.referral.strip()
    profile.responder = data.responder
    wanted = set(data.area_ids)
    profile.areas = list(db.session.scalars(select(Area).where(Area.id.in_(wanted)))) if wanted \
        else []


def sign_up(email: str, password: str, data: ProfileData) -> User:
    """A new applied volunteer: an account plus profile, in one transaction."""
    user = accounts.create_user(email, data.display_name, Role.VOLUNTEER, password, Status.APPLIED)
    add_profile(user, data)
    audit.record("volunteer.signed_up", "user", user.id, actor_id=user.id)
    try:
        db.session.commit()
    except IntegrityError as exc:  # the same email submitted twice at once
        db.session.rollback()
        raise ValueError("an account with this email already exists") from exc
    return user


def add_profile(user: User, data: ProfileData) -> VolunteerProfile:
    """The profile row for an account (not committed: sign-up and `aid demo` commit)."""
    code, _digest = links.issue(12)
    profile = VolunteerProfile(user_id=user.id, conduct_agreed_at=utcnow(),
                               conduct_version=conduct_version(), vouch_code=code,
                               vouch_code_index=_secret_index(code, "vouch_code"))
    _apply(profile, data)
    db.session.add(profile)
    return profile


def update_profile(profile: VolunteerProfile, data: ProfileData) -> None:
    profile.user.display_name = data.display_name.strip()
    _apply(profile, data)
    audit.record("volunteer.profile_updated", "user", profile.user_id)
    db.session.commit()


def profile_for(user: User) -> VolunteerProfile | None:
    return db.session.scalar(select(VolunteerProfile).where(VolunteerProfile.user_id == user.id))


def profile_of_volunteer(user_id: int) -> VolunteerProfile | None:
    return db.session.scalar(
        select(VolunteerProfile).join(User).options(joinedload(VolunteerProfile.user))
        .where(VolunteerProfile.user_id == user_id, User.role == Role.VOLUNTEER))


# -- lists for coordinators --------------------------------------------------------------

LIST_STATUSES = ("applied", "vetted", "suspended")


def ready_applicants() -> Select[Any]:
    """Ids of applicants vouched for by enough vetted members to be confirmed. Subqueries
    rather than aliases of users: the duress filter (aid.auth.duress) reaches into these."""
    vetted = select(User.id).where(User.status == Status.VETTED)
    applicants = select(User.id).where(User.status == Status.APPLIED, User.role == Role.VOLUNTEER)
    return (select(Vouch.applicant_id)
            .where(Vouch.voucher_id.in_(vetted), Vouch.applicant_id.in_(applicants))
            .group_by(Vouch.applicant_id).having(func.count() >= vouches_needed()))


# Without statistics SQLite would read every vetted account to sort them, or to count the
# vouches of one page's applicants, instead of walking the sign-up order.
keep_statistics("users", "volunteer_profiles", "vouches")


def volunteers_page(status: str, ready: bool = False) -> tuple[Page, dict[int, int]]:
    """One page of volunteers in a status (applicants: only those ready to confirm, if
    `ready`), plus vouch counts: three queries, any size."""
    query = (select(VolunteerProfile).join(User)
             .options(joinedload(VolunteerProfile.user))
             .where(User.role == Role.VOLUNTEER, User.status == status)
             .order_by(VolunteerProfile.created_at.desc(), VolunteerProfile.id.desc()))
    if ready and status == Status.APPLIED:
        query = query.where(User.id.in_(ready_applicants()))
    # Keyset links and a bounded count: a deep page costs what the first does.
    page = keyset_paginate(query, (VolunteerProfile.created_at, VolunteerProfile.id))
    return page, vouch_counts([p.user_id for p in page.items])


def vouch_counts(applicant_ids: list[int]) -> dict[int, int]:
    if not applicant_ids:
        return {}
    voucher = db.aliased(User)
    rows = db.session.execute(
        select(Vouch.applicant_id, func.count()).join(voucher, voucher.id == Vouch.voucher_id)
        .where(Vouch.applicant_id.in_(applicant_ids), voucher.status == Status.VETTED)
        .group_by(Vouch.applicant_id))
    return {applicant: count for applicant, count in rows}


def vouches_for(applicant_id: int) -> list[Vouch]:
    """Every vouch, oldest first; the view marks those whose author is no longer vetted."""
    return list(db.session.scalars(
        select(Vouch).options(joinedload(Vouch.voucher))
        .where(Vouch.applicant_id == applicant_id).order_by(Vouch.created_at)))


# -- vouching ----------------------------------------------------------------------------

def profile_by_vouch_code(code: str) -> VolunteerProfile | None:
    if not links.plausible(code):
        return None
    return db.session.scalar(select(VolunteerProfile).options(joinedload(VolunteerProfile.user))
                             .where(VolunteerProfile.vouch_code_index
                                    == _secret_index(code, "vouch_code")))


def has_vouched(applicant_id: int, voucher_id: int) -> bool:
    return db.session.scalar(select(Vouch.id).where(
        Vouch.applicant_id == applicant_id, Vouch.voucher_id == voucher_id)) is not None


def vouch(profile: VolunteerProfile, voucher: User, note: str = "") -> None:
    applicant = profile.user
    if voucher.id == applicant.id:
        raise VouchRefused("self")
    if voucher.status != Status.VETTED:
        raise VouchRefused("not_vetted")
    if applicant.status != Status.APPLIED:
        raise VouchRefused("not_applicant")
    if has_vouched(applicant.id, voucher.id):
        raise VouchRefused("already")
    db.session.add(Vouch(applicant_id=applicant.id, voucher_id=voucher.id,
                         note=note.strip() or None))
    audit.record("volunteer.vouched", "user", applicant.id, actor_id=voucher.id)
    try:
        db.session.commit()
    except IntegrityError as exc:  # a double click
        db.session.rollback()
        raise VouchRefused("already") from exc
    if vouch_counts([applicant.id]).get(applicant.id, 0) == vouches_needed():
        notify_on_duty("applicant_ready", path=f"/coordinator/volunteers/{applicant.id}",
                       dedupe=f"ready:{applicant.id}")


# -- coordinator decisions ---------------------------------------------------------------

def decide(profile: VolunteerProfile, decision: Decision) -> None:
    """Apply a coordinator's decision; every one is audited, refusals raise VettingError."""
    user = profile.user
    if decision in (Decision.APPROVE, Decision.CONFIRM):
        if user.status != Status.APPLIED:
            raise DecisionRefused("not_applicant")
        if decision == Decision.CONFIRM:
            count = vouch_counts([user.id]).get(user.id, 0)
            if count < vouches_needed():
                raise DecisionRefused("too_few_vouches")
            audit.record("volunteer.confirmed", "user", user.id, f"{count} vouches")
        else:
            audit.record("volunteer.approved", "user", user.id)
        accounts.set_status(user, Status.VETTED)
        _tell_vetted(user)
    elif decision == Decision.SUSPEND:
        if user.status == Status.SUSPENDED:
            raise DecisionRefused("already_suspended")
        _cut_access(profile, "volunteer.suspended")
    elif decision == Decision.OFFBOARD:
        if profile.offboarded_at is not None:
            raise DecisionRefused("offboarded")
        profile.offboarded_at = utcnow()
        _cut_access(profile, "volunteer.offboarded")
    elif decision == Decision.REINSTATE:
        if user.status != Status.SUSPENDED or profile.offboarded_at is not None:
            raise DecisionRefused("not_suspended")
        audit.record("volunteer.reinstated", "user", user.id)
        accounts.set_status(user, Status.VETTED)
    elif decision in (Decision.ORIENTATION, Decision.TRAINING):
        column = "orientation_at" if decision == Decision.ORIENTATION else "training_at"
        setattr(profile, column, utcnow())
        audit.record(f"volunteer.{decision.value}_recorded", "user", user.id)
        db.session.commit()


def _tell_vetted(user: User) -> None:
    """The new volunteer hears at once that shifts are open to them (after the commit, through
    the gateway, which refuses a number that opted out)."""
    from flask_babel import force_locale
    from flask_babel import gettext as _


    phone = phone_of(user.id)
    if not phone:
        return
    with force_locale(language_of(user)):
        body = _("%(network)s: you are now a vetted volunteer. Sign in to see open shifts: "
                 "%(link)s", network=current_settings().network_name,
                 link=f"{current_app.config['PUBLIC_URL']}/shifts")
    queue_sms(phone, body, purpose="volunteer_vetted")


AccessCutHook = Callable[[User], object]
_access_cut_hooks: list[AccessCutHook] = []


def on_access_cut(hook: AccessCutHook) -> AccessCutHook:
    """Register what another feature frees when a volunteer is suspended or offboarded (shifts:
    every upcoming place). Called after the account is suspended, in registration order."""
    if hook not in _access_cut_hooks:
        _access_cut_hooks.append(hook)
    return hook


def _cut_access(profile: VolunteerProfile, action: str) -> None:
    """Suspension and offboarding: sessions end, the calendar feed dies, places are freed."""
    user = profile.user
    profile.calendar_token = None
    profile.calendar_token_index = None
    audit.record(action, "user", user.id)
    if user.status == Status.SUSPENDED:
        accounts.end_sessions(user)  # offboarding someone already suspended
    else:
        accounts.set_status(user, Status.SUSPENDED)  # new session token; commits
    for hook in _access_cut_hooks:
        hook(user)  # shifts: each freed place moves its waitlist up


# -- private calendar feed ---------------------------------------------------------------

def new_calendar_token(profile: VolunteerProfile) -> str:
    """A fresh feed address; the old one stops working at once."""
    token, _digest = links.issue(24)
    profile.calendar_token = token
    profile.calendar_token_index = _secret_index(token, "calendar_token")
    audit.record("volunteer.calendar_link_created", "user", profile.user_id)
    db.session.commit()
    return token


def revoke_calendar_token(profile: VolunteerProfile) -> None:
    profile.calendar_token = None
    profile.calendar_token_index = None
    audit.record("volunteer.calendar_link_revoked", "user", profile.user_id)
    db.session.commit()


def user_for_calendar_token(token: str) -> User | None:
    if not links.plausible(token):
        return None
    profile = db.session.scalar(select(VolunteerProfile).options(
        joinedload(VolunteerProfile.user)).where(
        VolunteerProfile.calendar_token_index == _secret_index(token, "calendar_token")))
    if profile is None or not profile.user.is_active:
        return None
    return profile.user


# -- reaching people by text -------------------------------------------------------------

def users_by_phone(e164: str) -> list[User]:
    """Active people whose profile has this phone (blind index: nothing is decrypted)."""
    key = phone_index(e164)
    if key is None:
        return []
    return list(db.session.scalars(
        select(User).join(VolunteerProfile, VolunteerProfile.user_id == User.id)
        .where(VolunteerProfile.phone_index == key, VolunteerProfile.offboarded_at.is_(None),
               User.status == Status.VETTED).order_by(User.id)))


def phone_of(user_id: int) -> str | None:
    """The phone on someone's profile (staff may have none)."""
    profile = db.session.scalar(select(VolunteerProfile).where(
        VolunteerProfile.user_id == user_id, VolunteerProfile.offboarded_at.is_(None)))
    return profile.phone if profile is not None and profile.phone else None


def language_of(user: User) -> str:
    """The language to text someone in: the one they chose on the site, else the first
    interface language their profile says they speak, else English."""
    if user.locale in ("en", "es"):
        return user.locale
    profile = profile_for(user)
    spoken = profile.language_list if profile is not None else []
    return next((code for code in spoken if code in ("en", "es")), "en")


def profiles_for(user_ids: list[int], hints_only: bool = False) -> dict[int, VolunteerProfile]:
    """Profiles with their areas for many people at once (two queries). `hints_only`: just
    the languages and areas (nothing encrypted is read), for a list of names."""
    if not user_ids:
        return {}
    options = [selectinload(VolunteerProfile.areas)]
    if hints_only:
        options.append(load_only(VolunteerProfile.id, VolunteerProfile.user_id,
                                 VolunteerProfile.languages))
    rows = db.session.scalars(select(VolunteerProfile).options(*options)
                              .where(VolunteerProfile.user_id.in_(user_ids)))
    return {p.user_id: p for p in rows}


# -- asking a member to vouch --------------------------------------------------------------

def _vouch_request_signer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="vouch-request")


def request_vouch(applicant: User, email: str, asked_by: User) -> bool:
    """Ask the vetted member with this email address to vouch for an applicant (the
    applicant themself, or a coordinator for them). The member is told through notify with
    a link that only they can open; the applicant's vouch code never enters the stored
    notification. True when someone was asked: the applicant's page does not say which, so
    nobody learns from it who is a member."""
    profile = profile_for(applicant)
    if profile is None or applicant.status != Status.APPLIED:
        raise VouchRefused("not_applicant")
    member = accounts.find_by_email(email)
    if (member is None or member.status != Status.VETTED or member.id == applicant.id
            or has_vouched(applicant.id, member.id)):
        return False
    audit.record("volunteer.vouch_requested", "user", applicant.id, f"member {member.id}",
                 actor_id=asked_by.id)
    db.session.commit()

    token = _vouch_request_signer().dumps([applicant.id, member.id])
    notify(member.id, "vouch_requested", path=f"/volunteers/vouch-request/{token}",
           dedupe=f"vouch:{applicant.id}:{member.id}")
    return True


def vouch_request_for(token: str, member: User) -> VolunteerProfile | None:
    """The applicant's profile behind a vouch request link, for the member it was sent to."""
    try:
        applicant_id, member_id = _vouch_request_signer().loads(token)
    except (BadSignature, ValueError, TypeError):
        return None
    if member_id != member.id or not isinstance(applicant_id, int):
        return None
    profile = profile_of_volunteer(applicant_id)
    return profile if profile is not None and profile.user.status == Status.APPLIED else None


duress.reach_staff_with(phone_of)
