"""What volunteering keeps about a person: the profile, vouches, and never-vetted applications."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from aid.auth.models import Role, Status, User
from aid.extensions import db
from aid.privacy import owndata, registry
from aid.privacy.service import BATCH, count
from aid.volunteers.models import VolunteerProfile, Vouch

for _table in ("volunteer_profiles", "vouches"):
    registry.not_covered(_table, registry.AREA_WIPE,
                         "a volunteer may serve several areas; the full wipe empties it")
    registry.not_covered(_table, registry.PURGE,
                         "kept while the account is; an account's deletion cascades to it")


@registry.on_export(registry.ACCOUNT, tables=("volunteer_profiles", "vouches"))
def export_volunteering(user: User) -> dict[str, Any]:
    data: dict[str, Any] = {}
    profile = db.session.scalar(select(VolunteerProfile).where(VolunteerProfile.user_id == user.id))
    if profile is not None:
        data["volunteer_profile"] = {
            "phone": profile.phone, "languages": profile.language_list,
            "skills": profile.skill_list, "availability": profile.availability_list,
            "how_you_heard_of_us": profile.referral, "areas": [a.name for a in profile.areas],
            "code_of_conduct_agreed_at": owndata.when(profile.conduct_agreed_at),
            "orientation_at": owndata.when(profile.orientation_at),
            "training_at": owndata.when(profile.training_at),
            "offboarded_at": owndata.when(profile.offboarded_at),
        }
    data["vouches_you_gave"] = [
        {"for_account": v.applicant_id, "note": v.note, "at": owndata.when(v.created_at)}
        for v in db.session.scalars(select(Vouch).where(Vouch.voucher_id == user.id))]
    data["vouches_for_you"] = db.session.scalar(
        select(func.count(Vouch.id)).where(Vouch.applicant_id == user.id)) or 0
    return data


@registry.on_purge("applications", tables=("users", "volunteer_profiles", "vouches"))
def purge_applications(cutoff: datetime, dry_run: bool = False) -> int:
    """Volunteer accounts still waiting for vetting since before `cutoff`: the person never
    became part of the network, so what they told us at sign-up should not stay."""
    condition = ((User.role == Role.VOLUNTEER) & (User.status == Status.APPLIED)
                 & (User.created_at <= cutoff))
    if dry_run:
        return count(select(User.id).where(condition))
    users = list(db.session.scalars(select(User).where(condition).limit(BATCH)))
    for user in users:
        owndata.forget(registry.ACCOUNT, user, reason="retention")
    return len(users)
