"""What the shifts feature says by SMS, and to whom: reminders, waitlist promotions, drops
and the missed check-out alarm. Every text goes through the SMS gateway, which refuses any
number that opted out; each is rendered in the recipient's language.

Texts carry no meeting place and no details of the person accompanied (SMS is read by the
carrier): the kind, area and time, and a link to the shift page behind the login.

Who hears about a shift (`coordinator_numbers`): the shift's coordinator, if their profile has
a phone that has not opted out; otherwise every other coordinator and admin with such a phone
(a safety alarm must reach someone who can act, and several people is better than nobody);
otherwise the network's hotline number from the settings (a staffed line), unless it is our
own sending number. Every alarm is also an audit row, and the shift page shows it.
"""

from __future__ import annotations

from datetime import datetime

from flask import current_app
from flask_babel import force_locale, format_datetime
from flask_babel import gettext as _
from sqlalchemy import select

from aid.auth.models import Role, Status, User
from aid.extensions import db
from aid.network.service import current_settings
from aid.phones import BadPhone, normalise_phone
from aid.security.access import Level
from aid.shifts.labels import kind_in_sentence
from aid.shifts.models import Shift
from aid.sms.gateway import queue_sms, send_sms
from aid.sms.service import is_suppressed
from aid.timeutil import to_local
from aid.volunteers.service import language_of, phone_of

ALARM_VALIDITY = 3600  # an alarm an hour late is worse than none: the next run repeats it


def link(shift: Shift) -> str:
    return f"{current_app.config['PUBLIC_URL']}/shifts/{shift.id}"


def when(moment: datetime) -> str:
    """Day and time as the reader says them ("Wed 2 Dec, 09:00", "mié 2 dic, 09:00"), in the
    network's zone: call it inside the recipient's `force_locale`."""
    return format_datetime(moment, "EEE d MMM, HH:mm")


def local_when(moment: datetime) -> str:
    """Day and time in the network's zone, the same in every language ("2026-12-02 09:00"):
    for a notice written once for people who read different languages."""
    return to_local(moment).strftime("%Y-%m-%d %H:%M")


def _facts(shift: Shift) -> dict[str, str]:
    return {"network": current_settings().network_name, "kind": kind_in_sentence(shift.kind),
            "area": shift.area.name, "when": when(shift.starts_at), "link": link(shift)}


# -- the texts ---------------------------------------------------------------------------

def reminder_text(shift: Shift, which: str, locale: str) -> str:
    with force_locale(locale):
        if which == "24h":
            return _("%(network)s: reminder, your %(kind)s shift in %(area)s is on %(when)s. "
                     "Reply YES to confirm or NO to drop. %(link)s", **_facts(shift))
        return _("%(network)s: your %(kind)s shift in %(area)s starts at %(when)s. "
                 "Reply YES to confirm or NO to drop. %(link)s", **_facts(shift))


def promoted_text(shift: Shift, locale: str) -> str:
    with force_locale(locale):
        return _("%(network)s: a place opened and you are now confirmed on the %(kind)s shift in "
                 "%(area)s on %(when)s. If you cannot go, withdraw here: %(link)s",
                 **_facts(shift))


def dropped_text(shift: Shift, taken: int, locale: str) -> str:
    with force_locale(locale):
        return _("%(network)s: a volunteer dropped the %(kind)s shift in %(area)s on %(when)s "
                 "by text. %(taken)d of %(needed)d places taken. %(link)s",
                 taken=taken, needed=shift.needed, **_facts(shift))


def alarm_text(shift: Shift, volunteer: User, locale: str) -> str:
    # The name is there on purpose: someone may be alone at an ICE office, and whoever reads
    # this must know whom to call at once.
    with force_locale(locale):
        return _("%(network)s URGENT: %(name)s has not checked out of the %(kind)s shift in "
                 "%(area)s that ended at %(end)s. Please check on them now. %(link)s",
                 name=volunteer.display_name, end=when(shift.ends_at), **_facts(shift))


# -- who to text -------------------------------------------------------------------------

def _reachable(phone: str | None) -> str | None:
    if not phone:
        return None
    try:
        e164 = normalise_phone(phone, current_settings().default_region)
    except BadPhone:
        return None
    return None if is_suppressed(e164) else e164


def coordinator_numbers(shift: Shift) -> list[tuple[str, str]]:
    """(phone, language) pairs to tell about this shift; see the module's note for the order."""
    if shift.coordinator is not None and shift.coordinator.level >= Level.COORDINATOR:
        own = _reachable(phone_of(shift.coordinator.id))
        if own:
            return [(own, language_of(shift.coordinator))]
    staff = db.session.scalars(select(User).where(
        User.role.in_([Role.COORDINATOR, Role.ADMIN]), User.status != Status.SUSPENDED,
        User.id != (shift.coordinator_id or 0)).order_by(User.id))
    found: dict[str, str] = {}
    for person in staff:
        phone = _reachable(phone_of(person.id))
        if phone and phone not in found:
            found[phone] = language_of(person)
    if found:
        return list(found.items())
    settings = current_settings()
    hotline = _reachable(settings.hotline_number)
    own_number = current_app.config.get("TWILIO_FROM_NUMBER") or ""
    if hotline and hotline != own_number:
        return [(hotline, settings.language_list[0] if settings.language_list else "en")]
    return []


# -- sending -----------------------------------------------------------------------------

def send_reminder(shift: Shift, volunteer: User, which: str) -> str | None:
    """Queue one reminder (the caller has claimed it, uncommitted: the gateway's commit
    stores the claim and the text together). Returns the status, None without a phone."""
    phone = phone_of(volunteer.id)
    if not phone:
        return None
    msg = queue_sms(phone, reminder_text(shift, which, language_of(volunteer)),
                    purpose="shift_reminder", validity_period=2 * 3600)
    return msg.status


def tell_promoted(shift_id: int, user_ids: list[int]) -> None:
    """Text each volunteer who just moved up from the waitlist (after the commit)."""
    shift = db.session.get(Shift, shift_id)
    if shift is None:
        return
    for user in db.session.scalars(select(User).where(User.id.in_(user_ids))):
        phone = phone_of(user.id)
        if phone:
            queue_sms(phone, promoted_text(shift, language_of(user)), purpose="waitlist_promoted")


def tell_dropped(shift: Shift, taken: int) -> int:
    """Tell the coordinator that a volunteer dropped by text; returns how many were texted."""
    numbers = coordinator_numbers(shift)
    for phone, locale in numbers:
        queue_sms(phone, dropped_text(shift, taken, locale), purpose="shift_dropped")
    return len(numbers)


def alarm_missed_checkout(shift: Shift, volunteer: User) -> int:
    """Text the missed check-out alarm now (the caller claimed it); returns texts sent."""
    numbers = coordinator_numbers(shift)
    for phone, locale in numbers:
        send_sms(phone, alarm_text(shift, volunteer, locale), purpose="checkout_alarm",
                 validity_period=ALARM_VALIDITY)
    return len(numbers)
