"""Demo volunteers' profiles and a vouch for the newcomer, for `aid demo`."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import select

from aid.auth import service as accounts
from aid.extensions import db
from aid.network.models import Area
from aid.volunteers import service as volunteers
from aid.volunteers.models import VolunteerProfile, Vouch


def create_demo() -> Iterator[str]:
    """Profiles for the demo volunteers and a vouch for the newcomer."""
    areas = {a.name: a.id for a in db.session.scalars(select(Area))}
    profiles = {
        "rosa@demo.example": ("+12025550111", ["es", "en"], ["accompaniment", "interpreter"],
                              ["Eastside", "Riverside"], "Founding member"),
        "dev@demo.example": ("+12025550122", ["en"], ["driver", "legal_observer"],
                             ["Old Town"], "Met Rosa at the tenants' union"),
        "newcomer@demo.example": ("+12025550133", ["en", "pt"], ["accompaniment", "medical"],
                                  ["Eastside"], "Heard at the clinic; Rosa knows me"),
    }
    users = {}
    for email, (phone, langs, skills, area_names, referral) in profiles.items():
        user = accounts.find_by_email(email)
        if user is None:
            continue
        users[email] = user
        if db.session.scalar(select(VolunteerProfile).where(VolunteerProfile.user_id == user.id)):
            continue
        # Demo accounts exist already; give them the profile a sign-up would have made.
        volunteers.add_profile(user, volunteers.ProfileData(
            display_name=user.display_name, phone=phone, languages=langs, skills=skills,
            area_ids=[areas[n] for n in area_names if n in areas],
            availability=["sat-am", "sun-am", "wed-eve"], referral=referral))
        db.session.commit()
    rosa, newcomer = users.get("rosa@demo.example"), users.get("newcomer@demo.example")
    if (rosa and newcomer and not db.session.scalar(select(Vouch))
            and (profile := volunteers.profile_for(newcomer))):
        volunteers.vouch(profile, rosa, "We volunteer at the clinic")
    yield "Volunteer profiles: Rosa, Dev (vetted), Sam (applied, one vouch)"
