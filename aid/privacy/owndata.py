"""A person's own data: what Aid holds about them, and deleting it.

Accounts (volunteers and staff) download a JSON file and can delete the account; alert
subscribers do the same after proving the phone by SMS code; someone who asked for help can
withdraw the request with its reference code and a code texted to the phone they gave.
Other people's personal data never goes into someone's export (a volunteer's assigned
requests appear as reference codes only).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import delete, func, select

from aid.admin.service import current_settings
from aid.auth.models import Role, User
from aid.extensions import db
from aid.phones import phone_index
from aid.security import audit
from aid.security.audit import AuditEvent
from aid.timeutil import utcnow

WITHDRAW_PURPOSE = "withdraw"


def _when(value: datetime | None) -> str | None:
    return value.isoformat(timespec="seconds") + "Z" if value else None


# -- accounts --------------------------------------------------------------------------------

def export_user(user: User) -> dict[str, Any]:
    """Everything stored about this account, in a form a person can read."""
    from aid.board.models import Post, Response
    from aid.hotline.models import HelpRequest
    from aid.shifts.models import Shift, ShiftReport, Signup
    from aid.volunteers.models import VolunteerProfile, Vouch

    data: dict[str, Any] = {
        "network": current_settings().network_name,
        "exported_at": _when(utcnow()),
        "account": {"email": user.email, "name": user.display_name, "role": user.role,
                    "status": user.status, "language": user.locale,
                    "two_step_sign_in": bool(user.totp_confirmed),
                    "created_at": _when(user.created_at),
                    "last_sign_in_at": _when(user.last_login_at)},
    }
    profile = db.session.scalar(select(VolunteerProfile).where(VolunteerProfile.user_id == user.id))
    if profile is not None:
        data["volunteer_profile"] = {
            "phone": profile.phone, "languages": profile.language_list,
            "skills": profile.skill_list, "availability": profile.availability_list,
            "how_you_heard_of_us": profile.referral, "areas": [a.name for a in profile.areas],
            "code_of_conduct_agreed_at": _when(profile.conduct_agreed_at),
            "orientation_at": _when(profile.orientation_at),
            "training_at": _when(profile.training_at),
            "offboarded_at": _when(profile.offboarded_at),
        }
    data["vouches_you_gave"] = [
        {"for_account": v.applicant_id, "note": v.note, "at": _when(v.created_at)}
        for v in db.session.scalars(select(Vouch).where(Vouch.voucher_id == user.id))]
    data["vouches_for_you"] = db.session.scalar(
        select(func.count(Vouch.id)).where(Vouch.applicant_id == user.id)) or 0
    data["shifts"] = [
        {"shift": shift.id, "starts_at": _when(shift.starts_at), "status": signup.status}
        for signup, shift in db.session.execute(
            select(Signup, Shift).join(Shift, Shift.id == Signup.shift_id)
            .where(Signup.user_id == user.id).order_by(Shift.starts_at))]
    data["shift_reports_you_wrote"] = [
        {"shift": r.shift_id, "summary": r.summary, "follow_ups": r.follow_ups}
        for r in db.session.scalars(select(ShiftReport).where(ShiftReport.author_id == user.id))]
    data["board_posts"] = [
        {"kind": p.kind, "title": p.title, "description": p.description, "status": p.status,
         "created_at": _when(p.created_at)}
        for p in db.session.scalars(select(Post).where(Post.author_id == user.id))]
    data["board_responses"] = [
        {"post": r.post_id, "message": r.message, "contact": r.contact}
        for r in db.session.scalars(select(Response).where(Response.responder_id == user.id))]
    # Requests name other people: only their reference codes and states.
    data["help_requests_assigned_to_you"] = [
        {"reference": code, "status": status} for code, status in db.session.execute(
            select(HelpRequest.code, HelpRequest.status)
            .where(HelpRequest.assignee_id == user.id))]
    data["your_actions_in_the_audit_log"] = [
        {"at": _when(e.at), "action": e.action, "record": e.target_type, "id": e.target_id}
        for e in db.session.scalars(select(AuditEvent).where(AuditEvent.actor_id == user.id)
                                    .order_by(AuditEvent.id.desc()).limit(5000))]
    audit.record("account.exported", "user", user.id, actor_id=user.id)
    db.session.commit()
    return data


def last_admin(user: User) -> bool:
    admins = db.session.scalar(select(func.count(User.id)).where(User.role == Role.ADMIN))
    return user.role == Role.ADMIN and (admins or 0) <= 1


def delete_account(user: User, reason: str = "self") -> None:
    """Delete an account and what its owner wrote; their shift places go to the waitlist.

    Requests they handled stay (they are the requester's, not theirs) with the link to them
    cleared; audit rows keep the account's number only, never its name. Commits.
    """
    from aid.board.models import Post, Response
    from aid.shifts.signups import withdraw_everywhere

    withdraw_everywhere(user)  # commits per shift, promoting whoever waited
    user_id = user.id
    for post in db.session.scalars(select(Post).where(Post.author_id == user_id)):
        db.session.delete(post)
    db.session.execute(delete(Response).where(Response.responder_id == user_id))
    db.session.delete(user)  # profile, vouches, signups, codes: ON DELETE CASCADE
    audit.record("account.deleted", "user", user_id, reason, actor_id=None)
    db.session.commit()


# -- alert subscribers -----------------------------------------------------------------------

def export_subscriber(sub: Any) -> dict[str, Any]:
    from aid.sms.models import InboundMessage, OutboundMessage

    texts = db.session.scalars(select(OutboundMessage).where(
        OutboundMessage.to_index == sub.phone_index).order_by(OutboundMessage.id))
    data = {
        "network": current_settings().network_name,
        "exported_at": _when(utcnow()),
        "subscription": {"phone": sub.phone, "language": sub.language, "status": sub.status,
                         "areas": [a.name for a in sub.areas] or ["all"],
                         "topics": sub.topics, "subscribed_at": _when(sub.created_at),
                         "confirmed_at": _when(sub.confirmed_at)},
        "texts_we_sent_you": [{"at": _when(m.created_at), "text": m.body, "status": m.status}
                              for m in texts],
        "texts_you_sent_us": db.session.scalar(select(func.count(InboundMessage.id)).where(
            InboundMessage.phone_index == sub.phone_index)) or 0,
    }
    audit.record("subscriber.exported", "subscriber", sub.id)
    db.session.commit()
    return data


def delete_subscriber(sub: Any) -> None:
    """Forget an alert subscriber: the subscription, its codes and the texts sent to it.

    A STOP on the suppression list stays (a keyed hash, no number): it is what keeps any
    feature from texting a phone that asked not to be texted."""
    from aid.sms.models import OutboundMessage, VerificationCode

    key, sub_id = sub.phone_index, sub.id
    db.session.execute(delete(VerificationCode).where(VerificationCode.phone_index == key))
    db.session.execute(delete(OutboundMessage).where(OutboundMessage.to_index == key))
    db.session.delete(sub)
    audit.record("subscriber.deleted", "subscriber", sub_id)
    db.session.commit()


# -- requesters: withdraw with the reference code and a texted code --------------------------

def start_withdrawal(code: str, e164: str) -> int | None:
    """Text a code to the phone given with an open request, when code and phone match.

    Returns the code row's id, or None (nothing sent) when they do not match, the request is
    closed, or the phone had too many codes this hour. The page says the same either way."""
    from aid.hotline.service import find_by_code
    from aid.sms.subscriptions import send_code

    req = find_by_code(code)
    key = phone_index(e164) or ""
    if req is None or not req.is_open or not req.phone_index or req.phone_index != key:
        return None
    network, ref = current_settings().network_name, req.code
    return send_code(e164, WITHDRAW_PURPOSE, lambda secret: _(
        "%(network)s: your code to withdraw request %(ref)s is %(code)s. If you did "
        "not ask, ignore this text.", network=network, ref=ref, code=secret),
        extra=str(req.id), language=req.language if req.language in ("en", "es") else "en")


def withdraw_request(request_id: int) -> bool:
    """Close the request as withdrawn and erase what the person told us now, not after the
    retention period: they asked us to stop. Counts (category, area, dates) stay."""
    from aid.hotline.models import HelpRequest, RequestEvent, State
    from aid.hotline.service import _move

    req = db.session.get(HelpRequest, request_id)
    if req is None or not req.is_open:
        return False
    _move(req, State.WITHDRAWN, None)
    req.name, req.phone, req.phone_index, req.details = None, None, None, ""
    db.session.flush()
    for event in db.session.scalars(select(RequestEvent).where(
            RequestEvent.request_id == req.id, RequestEvent.body.is_not(None))):
        event.body = None
    audit.record("help_request.withdrawn", "help_request", req.id, "by requester", actor_id=None)
    db.session.commit()
    return True
