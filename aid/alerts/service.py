"""Alert rules: compose, preview, the two-person rule, approval with the fan-out, cancel,
progress. Views, tasks and the CLI call these; they commit.

Two-person rule (`aid.security.approvals`): an alert to more than ALERT_APPROVAL_THRESHOLD
recipients waits for a second coordinator; the author can never approve their own. The count
that decides is the number of delivery rows created in the approving transaction itself, so
an audience that grew since the preview cannot slip past the rule.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, select, update
from sqlalchemy.orm import aliased

from aid.alerts import fanout, verification
from aid.alerts.models import (
    ALERTABLE_STATES,
    Alert,
    AlertBody,
    AlertState,
    Delivery,
    DeliveryState,
    Report,
)
from aid.auth.models import User
from aid.errors import Conflict, Invalid, NotAllowed
from aid.extensions import db, rowcount
from aid.network.models import Area
from aid.security import approvals, audit
from aid.sms.models import MessageState, OutboundMessage
from aid.sms.segments import segment_info
from aid.timeutil import utcnow


@dataclass
class Draft:
    bodies: dict[str, str]  # language -> text; empty texts are dropped
    area_ids: list[int]
    topics: list[str]
    severity: str
    urgency: str
    certainty: str
    link: str
    expires_hours: int
    public: bool
    report_id: int | None = None
    firsthand: str = ""


@dataclass
class LanguagePreview:
    language: str
    encoding: str
    segments: int
    chars: int
    recipients: int


@dataclass
class Preview:
    languages: list[LanguagePreview]
    threshold: int

    @property
    def recipients(self) -> int:
        return sum(p.recipients for p in self.languages)

    @property
    def segments(self) -> int:
        return sum(p.recipients * p.segments for p in self.languages)

    @property
    def needs_second(self) -> bool:
        return self.recipients > self.threshold


def threshold() -> int:
    return approvals.threshold()


def basis_error(draft: Draft) -> str | None:
    """Only a confirmed or probable report (its level then said in the text) or the author's
    own first-hand statement can become an alert."""
    if draft.report_id:
        report = db.session.get(Report, draft.report_id)
        if report is not None:
            verification.refresh_expiry(report)
        if report is None or report.status not in ALERTABLE_STATES:
            return str(_l("That report is not confirmed."))
        return None
    if len(draft.firsthand.strip()) < 10:
        return str(_l("Choose a confirmed report, or say what you saw yourself."))
    return None


def stamped(bodies: dict[str, str], key: str | None) -> dict[str, str]:
    """The bodies with the report's level said at the end of each ("Confirmed by 2
    responders." / "Unconfirmed, be careful."), in each body's language."""
    if not key:
        return dict(bodies)
    out = {}
    for code, text in bodies.items():
        line = verification.level_line(key, code)
        out[code] = f"{text.strip()[:1599 - len(line)]} {line}" if text.strip() else text
    return out


def draft_level(draft: Draft) -> str | None:
    report = db.session.get(Report, draft.report_id) if draft.report_id else None
    return verification.level_key(report) if report is not None else None


def _restate_level(alert: Alert) -> None:
    """Right before sending: the level may have moved since the draft (a second
    confirmation came in, or the report expired or was found false)."""
    if not alert.report_id or alert.kind != "alert" or not alert.report_level:
        return
    report = db.session.get(Report, alert.report_id)
    if report is not None:
        verification.refresh_expiry(report)
    if report is None or report.status not in ALERTABLE_STATES:
        raise Conflict("report no longer current", message=_l(
            "The report behind this alert is no longer current (expired, false or merged)."))
    key = verification.level_key(report)
    if key == alert.report_level:
        return
    for body in alert.bodies:
        old = " " + verification.level_line(alert.report_level, body.language)
        text = body.body[:-len(old)] if body.body.endswith(old) else body.body
        body.body = f"{text} {verification.level_line(key, body.language)}"
    alert.report_level = key
    audit.record("alert.level_restated", "alert", alert.id, key)
    db.session.commit()


def preview(bodies: dict[str, str], link: str, area_ids: list[int],
            topics: list[str]) -> Preview:
    """Segments per language and the exact recipients per language, as they would be sent."""
    languages = [code for code, text in bodies.items() if text.strip()]
    counts = fanout.counts_by_language(area_ids, topics, languages)
    rows = []
    for code in languages:
        encoding, segments, chars = segment_info(fanout.full_text(bodies[code], link, code))
        rows.append(LanguagePreview(code, encoding, segments, chars, counts.get(code, 0)))
    return Preview(rows, threshold())


def preview_alert(alert: Alert) -> Preview:
    if alert.in_reply_to_id:  # a correction: the original's recipients, nobody new
        counts = fanout.correction_counts(alert.in_reply_to_id,
                                          [b.language for b in alert.bodies])
        rows = [LanguagePreview(b.language, *segment_info(fanout.full_text(b.body, alert.link,
                                                                       b.language)),
                                counts.get(b.language, 0)) for b in alert.bodies]
        return Preview(rows, threshold())
    return preview({b.language: b.body for b in alert.bodies}, alert.link,
                   [a.id for a in alert.areas], alert.topic_list)


def create_draft(draft: Draft, author: User) -> Alert:
    """Save a draft. Raises Invalid without a confirmed report or a first-hand statement."""
    error = basis_error(draft)
    if error:
        raise Invalid(message=error)
    level = draft_level(draft)
    bodies = stamped(draft.bodies, level)
    alert = Alert(report_level=level,
        author_id=author.id, report_id=draft.report_id or None,
        basis="report" if draft.report_id else "firsthand",
        firsthand=None if draft.report_id else draft.firsthand.strip()[:1000],
        topics=",".join(draft.topics), severity=draft.severity, urgency=draft.urgency,
        certainty=draft.certainty, link=draft.link.strip(), public=draft.public,
        expires_at=utcnow() + timedelta(hours=max(1, draft.expires_hours)),
        bodies=[AlertBody(language=code, body=text.strip()[:1600])
                for code, text in bodies.items() if text.strip()])
    alert.areas = list(db.session.scalars(select(Area).where(Area.id.in_(draft.area_ids))))
    db.session.add(alert)
    db.session.flush()
    audit.record("alert.drafted", "alert", alert.id, alert.basis)
    db.session.commit()
    return alert


def _start_sending(alert: Alert, approver: User) -> bool:
    """One transaction: the state change, the count and the first chunk of delivery rows
    (the sending jobs write the rest as they go). False (nothing changed) when the author
    alone would send to more than the threshold."""
    now = utcnow()
    moved = rowcount(db.session.execute(
        update(Alert).where(Alert.id == alert.id,
                            Alert.status.in_((AlertState.DRAFT, AlertState.PENDING)))
        .values(status=AlertState.SENDING, approver_id=approver.id, approved_at=now)
        .execution_options(synchronize_session=False)))
    if not moved:  # another coordinator approved or cancelled it a moment ago
        db.session.rollback()
        raise Conflict(message=_l("This alert is no longer waiting to be sent."))
    count = fanout.count_recipients(alert)
    if not approvals.may_approve(approver.id, alert.author_id, count, threshold()):
        db.session.rollback()
        return False
    fanout.start_deliveries(alert)
    db.session.execute(update(Alert).where(Alert.id == alert.id).values(recipients=count)
                       .execution_options(synchronize_session=False))
    if alert.in_reply_to_id:  # corrected or retracted: the original is no longer current
        db.session.execute(update(Alert).where(Alert.id == alert.in_reply_to_id,
                                               Alert.expires_at > now)
                           .values(expires_at=now).execution_options(synchronize_session=False))
    audit.record("alert.approved", "alert", alert.id, f"{count} recipients")
    db.session.commit()
    db.session.refresh(alert)
    fanout.enqueue(alert.id)  # after the commit: workers must find the rows
    return True


def submit(alert: Alert, user: User) -> str:
    """The author asks to send: at or under the threshold it goes now; over it, it waits
    for a second coordinator. Returns the new state."""
    if alert.status != AlertState.DRAFT:
        raise Conflict(message=_l("This alert is no longer a draft."))
    if alert.author_id != user.id:
        raise NotAllowed(message=_l("Only the author can send a draft."))
    _restate_level(alert)
    alert.submitted_at = utcnow()
    db.session.commit()
    if _start_sending(alert, user):
        return AlertState.SENDING
    alert.status, alert.submitted_at = AlertState.PENDING, utcnow()
    audit.record("alert.submitted", "alert", alert.id)
    db.session.commit()
    return AlertState.PENDING


def approve(alert: Alert, user: User) -> None:
    """A second coordinator approves a waiting alert; the author cannot."""
    if alert.status != AlertState.PENDING:
        raise Conflict(message=_l("This alert is not waiting for approval."))
    if not approvals.may_approve(user.id, alert.author_id, None, threshold()):
        audit.record("alert.self_approval_refused", "alert", alert.id)
        db.session.commit()
        raise NotAllowed(message=_l("Another coordinator has to approve an alert you wrote."))
    _restate_level(alert)
    _start_sending(alert, user)


def cancel(alert: Alert, user: User) -> int:
    """Stop an alert: a draft or waiting one never goes; a sending one stops what has not
    gone out (rows a worker holds are checked again right before their send). Returns how
    many texts were stopped. Commits."""
    if alert.status not in (AlertState.DRAFT, AlertState.PENDING, AlertState.SENDING):
        raise Conflict(message=_l("This alert can no longer be cancelled."))
    # The alert's row first: a job writing its next chunk of rows holds that lock, so this
    # waits for the chunk and sees it below, and no chunk is written after.
    now = utcnow()
    db.session.execute(update(Alert).where(Alert.id == alert.id).values(
        status=AlertState.CANCELLED, cancelled_at=now).execution_options(
        synchronize_session=False))
    stopped = rowcount(db.session.execute(
        update(Delivery).where(Delivery.alert_id == alert.id, Delivery.status.in_(
            (DeliveryState.PENDING, DeliveryState.CLAIMED)))
        .values(status=DeliveryState.CANCELLED)
        .execution_options(synchronize_session=False))) or 0
    if fanout.is_filling(alert.id):  # recipients whose rows were never written
        stopped += fanout.unwritten(alert)
    alert.status, alert.cancelled_at = AlertState.CANCELLED, now
    audit.record("alert.cancelled", "alert", alert.id, f"{stopped} not sent")
    db.session.commit()
    return stopped


@dataclass
class Progress:
    total: int = 0
    by_language: dict[str, dict[str, int]] = field(default_factory=dict)
    failures: list[tuple[int | None, int]] = field(default_factory=list)

    def count(self, bucket: str) -> int:
        return sum(row.get(bucket, 0) for row in self.by_language.values())

    @property
    def done(self) -> int:
        return self.total - self.count("queued")

    @property
    def percent(self) -> int:
        return 100 if not self.total else int(100 * self.done / self.total)


BUCKETS = ("queued", "sent", "delivered", "failed", "skipped")
NOT_DELIVERED = (MessageState.FAILED, MessageState.UNDELIVERED)


def _bucket(delivery: str, message: str | None) -> str:
    if delivery in (DeliveryState.PENDING, DeliveryState.CLAIMED):
        return "queued"
    if delivery in (DeliveryState.SKIPPED, DeliveryState.CANCELLED):
        return "skipped"
    if delivery == DeliveryState.FAILED or message in NOT_DELIVERED:
        return "failed"
    return "delivered" if message == MessageState.DELIVERED else "sent"


def progress(alert: Alert) -> Progress:
    """Counts by language: queued, sent (handed to Twilio), delivered (Twilio's callback),
    failed (with Twilio's error codes) and skipped (opted out or cancelled)."""
    result = Progress()
    msg = aliased(OutboundMessage)
    rows = db.session.execute(
        select(Delivery.language, Delivery.status, msg.status, func.count())
        .outerjoin(msg, msg.id == Delivery.message_id).where(Delivery.alert_id == alert.id)
        .group_by(Delivery.language, Delivery.status, msg.status))
    for language, delivery, message, n in rows:
        row = result.by_language.setdefault(language, dict.fromkeys(BUCKETS, 0))
        row[_bucket(delivery, message)] += n
        result.total += n
    result.failures = [(code, n) for code, n in db.session.execute(
        select(msg.error_code, func.count()).join(Delivery, Delivery.message_id == msg.id)
        .where(Delivery.alert_id == alert.id, msg.status.in_(NOT_DELIVERED))
        .group_by(msg.error_code).order_by(func.count().desc()).limit(20))]
    return result


def progress_data(alert: Alert, result: Progress | None = None) -> dict[str, Any]:
    """What the alert page's progress section shows, for its live update (JSON): counts by
    state and by language, the percentage, Twilio's error codes, and whether it is over."""
    result = result or progress(alert)
    return {
        "id": alert.id, "status": alert.status,
        "finished": alert.status != AlertState.SENDING,
        "total": result.total, "done": result.done, "percent": result.percent,
        "counts": {name: result.count(name) for name in BUCKETS},
        "by_language": result.by_language,
        "failures": [{"code": code, "count": n} for code, n in result.failures],
    }


def alerts_query(status: str = "") -> Select[tuple[Alert]]:
    query = select(Alert).order_by(Alert.created_at.desc(), Alert.id.desc())
    if status in {s.value for s in AlertState}:
        query = query.where(Alert.status == status)
    return query


def delivery_totals(since: datetime) -> dict[str, int]:
    """Deliveries of the alerts approved since `since`, by bucket (queued, sent, delivered,
    failed, skipped): one aggregate query, for the coordinators' dashboard."""
    msg = aliased(OutboundMessage)
    rows = db.session.execute(
        select(Delivery.status, msg.status, func.count())
        .outerjoin(msg, msg.id == Delivery.message_id)
        .join(Alert, Alert.id == Delivery.alert_id).where(Alert.approved_at >= since)
        .group_by(Delivery.status, msg.status))
    totals = dict.fromkeys(BUCKETS, 0)
    for delivery, message, n in rows:
        totals[_bucket(delivery, message)] += n
    return totals


def published_query(limit: int = 50) -> Select[tuple[Alert]]:
    """What the public feeds show: public alerts that went out (not cancelled drafts)."""
    return (select(Alert).where(Alert.public.is_(True), Alert.approved_at.is_not(None),
                                Alert.status.in_((AlertState.SENDING, AlertState.SENT)))
            .order_by(Alert.approved_at.desc()).limit(limit))


def people(ids: list[int | None]) -> dict[int, Any]:
    wanted = [i for i in ids if i]
    return {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(wanted)))}
