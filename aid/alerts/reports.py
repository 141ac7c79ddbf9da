"""Reports of something happening, and their verification.

A report comes in unverified (public web form, a REPORT / REPORTE text exchange, or a
coordinator turning a hotline request into one), with what responders ask for: the kind of
activity (`kinds`), the area and a rough place, when, how many officers and vehicles, the
agency, vehicle descriptions and plates, and photos (`photos`). A coordinator texts the
vetted responders of that area (volunteers who opted in); a responder who was sent, or any
coordinator, gives a verdict, and the report's level follows from the verdicts of distinct
people (`verification`). Only a confirmed or probable report (or a coordinator's own
first-hand statement) can become an alert, and the alert's text says which.

For other features (a detention-response case linking the report it came from): `get`,
`create_report`, `Report.id`, `Report.status` (a `ReportState`), `area_of`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import Select, delete, select, update

from aid.alerts import kinds, photos, verification
from aid.alerts.models import (
    ALERTABLE_STATES,
    OPEN_REPORT_STATES,
    Dispatch,
    Report,
    ReportPhoto,
    ReportState,
    SmsReportDraft,
    Verdict,
)
from aid.auth.models import Role, Status, User
from aid.errors import NotAllowed
from aid.extensions import db
from aid.hotline.models import HelpRequest
from aid.network.models import Area
from aid.network.service import current_settings
from aid.notify.service import notify, notify_on_duty_later
from aid.privacy.retention import retention_days
from aid.security import audit
from aid.sms.gateway import queue_sms
from aid.sms.subscriptions import TOPICS
from aid.timeutil import utcnow
from aid.volunteers.models import VolunteerProfile

SEEN_CHOICES = ("now", "hour", "today", "earlier")  # labels: aid.alerts.labels.SEEN


@dataclass
class NewReport:
    kind: str  # the alert topic (subscriptions.TOPICS); "" takes the activity's
    area_id: int | None
    place: str
    seen: str
    details: str
    activity: str = "other"  # a ReportKind code
    officers: int | None = None
    vehicles: int | None = None
    agency: str = ""  # a kinds.AGENCIES code
    vehicle_info: str = ""
    photos: list[bytes] = field(default_factory=list)


def _count(value: int | None) -> int | None:
    return None if value is None else max(0, min(int(value), 999))


def create_report(data: NewReport, source: str = "web", by: User | None = None,
                  hotline_request_id: int | None = None) -> Report:
    """A new unverified report, with its photos cleaned and encrypted. Raises
    `photos.BadPhoto` (nothing saved) for a file that is not a photo we take. Commits."""
    activity = data.activity if data.activity in kinds.labels("en") else "other"
    topic = data.kind if data.kind in TOPICS else kinds.topic_of(activity)
    now = utcnow()
    report = Report(kind=topic, area_id=data.area_id,
                    place=data.place.strip()[:200], details=data.details.strip()[:2000],
                    seen=data.seen if data.seen in SEEN_CHOICES else "now", source=source,
                    hotline_request_id=hotline_request_id,
                    created_by_id=by.id if by else None, activity=activity,
                    officers=_count(data.officers), vehicles=_count(data.vehicles),
                    agency=data.agency if data.agency in kinds.AGENCIES else "",
                    vehicle_info=data.vehicle_info.strip()[:500] or None,
                    created_at=now, expires_at=now + verification.lifetime())
    db.session.add(report)
    db.session.flush()
    try:
        for raw in data.photos[:photos.MAX_PHOTOS]:
            photos.add(report, raw)
    except photos.BadPhoto:
        db.session.rollback()
        raise
    audit.record("report.created", "report", report.id,
                 f"{source}, {len(data.photos[:photos.MAX_PHOTOS])} photos")
    db.session.commit()

    # Coordinators on duty, at once; responders are asked when a coordinator dispatches.
    notify_on_duty_later("report_to_verify", path=f"/coordinator/reports/{report.id}")
    return report


def from_hotline(request_id: int, kind: str, by: User) -> Report:
    """A coordinator turns a hotline request (web, call or SMS) into a report: the request's
    words are copied (encrypted) so the report stands on its own once the request is purged."""
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

    # The text above always goes; this is the copy by email (or as each person chose).
    for person in people:
        notify(person.id, "report_check", path=f"/alerts/check/{report.id}",
               dedupe=f"report_check:{report.id}:{person.id}")
    return len(people)


def can_check(report: Report, user: User) -> bool:
    """Coordinators, and responders who were asked about this report."""
    if user.role in (Role.COORDINATOR, Role.ADMIN):
        return True
    return user.status == Status.VETTED and user.id in dispatched_ids(report)


def judge(report: Report, user: User, outcome: str, note: str) -> ReportState:
    """`user`'s verdict (confirmed, probable, not_seen, false) with a note; returns the
    report's level that follows (see `verification`). Commits."""
    if not can_check(report, user):
        raise NotAllowed("not asked about this report")
    return verification.record_verdict(report, user, outcome, note)


def verify(report: Report, user: User, confirmed: bool, note: str) -> None:
    """A confirmed or false verdict (what the demo and older callers give). Commits."""
    judge(report, user, "confirmed" if confirmed else "false", note)


def confirmed_reports(limit: int = 30) -> Sequence[Report]:
    """Recent current confirmed and probable reports, the ones an alert may be based on."""
    verification.expire_due()
    return db.session.scalars(select(Report).where(Report.status.in_(ALERTABLE_STATES))
                              .order_by(Report.created_at.desc()).limit(limit)).all()


def is_open(report: Report) -> bool:
    return report.status in OPEN_REPORT_STATES


def purge_before(cutoff: datetime) -> int:
    """Reports that came in before `cutoff` go, with their photos and verdicts (cascade),
    and texted reports nobody finished. Commits."""
    old = list(db.session.scalars(select(Report.id).where(Report.created_at < cutoff)))
    if old:  # a merged report may point at one that goes
        db.session.execute(update(Report).where(Report.merged_into_id.in_(old))
                           .values(merged_into_id=None).execution_options(
                               synchronize_session=False))
    for start in range(0, len(old), 500):
        batch = old[start:start + 500]
        db.session.execute(delete(ReportPhoto).where(ReportPhoto.report_id.in_(batch)))
        db.session.execute(delete(Verdict).where(Verdict.report_id.in_(batch)))
        db.session.execute(delete(Dispatch).where(Dispatch.report_id.in_(batch)))
        db.session.execute(delete(Report).where(Report.id.in_(batch)))
    db.session.execute(delete(SmsReportDraft).where(SmsReportDraft.expires_at < utcnow()))
    db.session.commit()
    return len(old)


def purge_old() -> int:
    """Reports past their keep period (Admin > Retention). Commits."""
    return purge_before(utcnow() - timedelta(days=retention_days("reports")))
