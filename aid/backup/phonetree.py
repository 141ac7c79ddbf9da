"""The offline phone tree: who to call, by area, when Aid is gone (seized, shut down).

Only people who opted in on their own page are listed (coordinators, admins and responders),
with their phone and languages, and the hotline procedures. An admin downloads it after
typing their password and a fresh authenticator code; the file is age-encrypted with a
passphrase they choose, so any age client opens it. Each download is recorded (when, by whom,
how many people): the emergency erase cannot reach copies, so it lists them.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime, timedelta

import pyrage
from flask import render_template
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from aid.auth.models import Role, Status, User
from aid.backup.models import PhoneTreeCopy, PhoneTreeSettings
from aid.errors import NotAllowed
from aid.extensions import db
from aid.security import audit
from aid.timeutil import utcnow
from aid.volunteers.models import VolunteerProfile
from aid.volunteers.service import profile_for

REMIND_AFTER = timedelta(days=30)
FORMATS = ("html", "csv")


@dataclass(frozen=True)
class Entry:
    area: str
    name: str
    role: str
    phone: str
    languages: str


def settings() -> PhoneTreeSettings:
    row = db.session.get(PhoneTreeSettings, 1)
    if row is None:
        row = PhoneTreeSettings(id=1, procedures="")
        db.session.add(row)
        db.session.flush()
    return row


def save_procedures(text_value: str, actor_id: int | None) -> None:
    settings().procedures = text_value.strip()
    audit.record("phone_tree.procedures_changed", None, None, actor_id=actor_id)
    db.session.commit()


def can_opt_in(user: User) -> bool:
    """Staff and responders; an ordinary volunteer is not someone the network calls."""
    profile = profile_for(user)
    return profile is not None and user.status == Status.VETTED and (
        user.role in (Role.ADMIN, Role.COORDINATOR) or profile.responder)


def set_opt_in(user: User, on: bool) -> None:
    profile = profile_for(user)
    if profile is None or not can_opt_in(user):
        raise NotAllowed("not someone the phone tree lists", _l(
            "The phone tree lists coordinators and responders only."))
    profile.phone_tree = on
    audit.record("phone_tree.opted_in" if on else "phone_tree.opted_out", "user", user.id)
    db.session.commit()


def entries() -> list[Entry]:
    """Everyone on the tree, once per area they cover, sorted by area then name."""
    profiles = db.session.scalars(select(VolunteerProfile).where(
        VolunteerProfile.phone_tree.is_(True), VolunteerProfile.offboarded_at.is_(None)))
    found = []
    for profile in profiles:
        user = profile.user
        if user.status != Status.VETTED or not (
                user.role in (Role.ADMIN, Role.COORDINATOR) or profile.responder):
            continue
        role = user.role if user.role != Role.VOLUNTEER else "responder"
        for area in [a.name for a in profile.areas] or ["—"]:
            found.append(Entry(area, user.display_name, role, profile.phone, profile.languages))
    return sorted(found, key=lambda e: (e.area, e.name))


def render(fmt: str) -> bytes:
    people = entries()
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["area", "name", "role", "phone", "languages"])
        for e in people:
            writer.writerow([e.area, e.name, e.role, e.phone, e.languages])
        writer.writerow([])
        writer.writerow(["procedures", settings().procedures])
        return out.getvalue().encode()
    return render_template("backup/phone_tree_print.html", entries=people,
                           procedures=settings().procedures, made_at=utcnow()).encode()


def make_copy(actor: User, fmt: str, passphrase: str) -> tuple[bytes, str]:
    """The encrypted file and its name; the download is recorded and audited."""
    if fmt not in FORMATS:
        raise ValueError(fmt)
    plain = render(fmt)
    people = len({(e.name, e.phone) for e in entries()})
    db.session.add(PhoneTreeCopy(made_by_id=actor.id, people=people, fmt=fmt))
    audit.record("phone_tree.downloaded", None, None, f"{people} people, {fmt}",
                 actor_id=actor.id)
    db.session.commit()
    name = f"phone-tree-{utcnow():%Y%m%d}.{fmt}.age"
    return pyrage.passphrase.encrypt(plain, passphrase), name


def copies(limit: int = 50) -> list[tuple[PhoneTreeCopy, str]]:
    """Where copies were made: when, by whom (their name now, or "deleted account")."""
    rows = db.session.scalars(select(PhoneTreeCopy).order_by(PhoneTreeCopy.made_at.desc())
                              .limit(limit)).all()
    names = {u.id: u.display_name for u in db.session.scalars(
        select(User).where(User.id.in_({r.made_by_id for r in rows if r.made_by_id})))}
    return [(r, names.get(r.made_by_id or 0, "")) for r in rows]


def last_made() -> datetime | None:
    return db.session.scalar(select(PhoneTreeCopy.made_at).order_by(
        PhoneTreeCopy.made_at.desc()).limit(1))


def needs_refresh() -> bool:
    """The monthly reminder on the admin dashboard."""
    made = last_made()
    return made is None or utcnow() - made > REMIND_AFTER
