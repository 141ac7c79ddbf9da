"""Reports of something happening, and their verification.

A report comes in unverified (public web form, or a coordinator turning a hotline request
into one). A coordinator texts the vetted responders of that area (volunteers who opted in);
a responder who was sent, or any coordinator, marks it confirmed or false with a note. Only
a confirmed report (or a coordinator's own first-hand statement) can become an alert.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import Select, delete, select

from aid.admin.models import Area
from aid.admin.service import current_settings
from aid.alerts.models import OPEN_REPORT_STATES, Dispatch, Report, ReportState
from aid.auth.models import Role, Status, User
from aid.errors import NotAllowed
from aid.extensions import db
from aid.security import audit
from aid.sms.subscriptions import TOPICS
from aid.timeutil import utcnow
from aid.volunteers.models import VolunteerProfile

SEEN_CHOICES = ("now", "hour", "today", "earlier")  # labels: aid.alerts.labels.SEEN


@dataclass
class NewReport:
    kind: str
    area_id: int | None
    place: str
    seen: str
    details: str


def create_report(data: NewReport, source: str = "web", by: User | None = None,
                  hotline_request_id: int | None = None) -> Report:
    """A new unverified report. Commits."""
    report = Report(kind=data.kind if data.kind in TOPICS else "safety", area_id=data.area_id,
                    place=data.place.strip()[:200], details=data.details.strip()[:2000],
                    seen=data.seen if data.seen in SEEN_CHOICES else "now", source=source,
                    hotline_request_id=hotline_request_id,
                    created_by_id=by.id if by else None)
    db.session.add(report)
    db.session.flush()
    audit.record("report.created", "report", report.id, source)
    db.session.commit()
    from aid.notify.service import notify_on_duty

    # Coordinators on duty, at once; responders are asked when a coordinator dispatches.
    notify_on_duty("report_to_verify", path=f"/coordinator/reports/{report.id}")
    return report


def from_hotline(request_id: int, kind: str, by: User) -> Report:
    """A coordinator turns a hotline request (web, call or SMS) into a report: the request's
    words are copied (encrypted) so the report stands on its own once the request is purged."""
    from aid.hotline.models import HelpRequest

    req = db.session.get(HelpRequest, request_id)
    if req is None:
        raise LookupError(request_id)
    return create_report(NewReport(kind=kind, area_id=req.area_id, place="", seen="now",
                                   details=req.details), source="hotline", by=by,
                         hotline_request_id=req.id)


def reports_query(open_only: bool = False) -> Select[tuple[Report]]:
    """Unverified and being-checked first, newest first within each."""
    query = select(Report).where(Report.is_open.is_(True)) if open_only else select(Report)
    return query.order_by(Report.is_open.desc(), Report.created_at.desc(),
                                   Report.id.desc())


def get(report_id: int) -> Report | None:
    return db.session.get(Report, report_id)


def area_of(report: Report) -> Area | None:
    return db.session.get(Area, report.area_id) if report.area_id else None


def responders_for(report: Report) -> list[User]:
    """Vetted, active volunteers who opted in as responders, in the report's area (all of
    them when the report names no area)."""
    query = (select(User).join(VolunteerProfile, VolunteerProfile.user_id == User.id)
             .where(VolunteerProfile.responder.is_(True), VolunteerProfile.offboarded_at.is_(None),
                    User.status == Status.VETTED))
    if report.area_id:
        query = query.where(VolunteerProfile.areas.any(Area.id == report.area_id))
    return list(db.session.scalars(query.order_by(User.id)))


def dispatched_ids(report: Report) -> set[int]:
    return set(db.session.scalars(select(Dispatch.user_id).where(
        Dispatch.report_id == report.id)))


def dispatch(report: Report, by: User) -> int:
    """Text every responder of the area not yet asked about this report. The text says what
    and which area and links to the report (sign-in needed): the place and the reporter's
    words never go through the SMS provider. Commits, then queues the texts."""
    from aid.sms.gateway import queue_sms

    already = dispatched_ids(report)
    people = [u for u in responders_for(report) if u.id not in already]
    profiles = {p.user_id: p for p in db.session.scalars(select(VolunteerProfile).where(
        VolunteerProfile.user_id.in_([u.id for u in people])))}
    for person in people:
        db.session.add(Dispatch(report_id=report.id, user_id=person.id))
    if report.status == ReportState.UNVERIFIED and people:
        report.status = ReportState.DISPATCHED
    audit.record("report.dispatched", "report", report.id, f"{len(people)} responders")
    db.session.commit()
    area = area_of(report)
    # The public address, not the request's host: the text is read outside this request.
    link = f"{current_app.config['PUBLIC_URL']}/alerts/check/{report.id}"
    for person in people:
        profile = profiles[person.id]
        language = next((c for c in profile.language_list if c in ("en", "es")), "en")
        with force_locale(language):
            text = _("%(network)s: please check a report (%(kind)s, %(area)s) and say if it is "
                     "true: %(link)s", network=current_settings().network_name,
                     kind=TOPICS[report.kind], area=area.name if area else _("area not given"),
                     link=link)
        queue_sms(profile.phone, text, purpose="verification", validity_period=3600)
    return len(people)


def can_check(report: Report, user: User) -> bool:
    """Coordinators, and responders who were asked about this report."""
    if user.role in (Role.COORDINATOR, Role.ADMIN):
        return True
    return user.status == Status.VETTED and user.id in dispatched_ids(report)


def verify(report: Report, user: User, confirmed: bool, note: str) -> None:
    """Mark the report confirmed or false, with a note. Commits."""
    if not can_check(report, user):
        raise NotAllowed("not asked about this report")
    report.status = ReportState.CONFIRMED if confirmed else ReportState.FALSE
    report.is_open = False
    report.verified_by_id, report.verified_at = user.id, utcnow()
    report.verification_note = note.strip()[:1000]
    audit.record("report.verified", "report", report.id, report.status)
    db.session.commit()


def confirmed_reports(limit: int = 30) -> Sequence[Report]:
    """Recent confirmed reports, the ones an alert may be based on."""
    return db.session.scalars(select(Report).where(Report.status == ReportState.CONFIRMED)
                              .order_by(Report.verified_at.desc()).limit(limit)).all()


def is_open(report: Report) -> bool:
    return report.status in OPEN_REPORT_STATES


def purge_old() -> int:
    """Reports past their keep period go, with what people wrote in them. Commits."""
    cutoff = utcnow() - timedelta(days=current_app.config["REPORT_RETENTION_DAYS"])
    count = db.session.execute(delete(Report).where(Report.created_at < cutoff)).rowcount
    db.session.commit()
    return count or 0
