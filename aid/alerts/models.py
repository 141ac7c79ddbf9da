"""Alert tables: reports of something happening, who was sent to check them, the alerts
themselves (one body per language), and one delivery row per recipient of a sent alert.

What a person wrote (a report's place and details, a verification note, a coordinator's
first-hand statement, an alert's text before it is published) is encrypted. In clear: kinds,
areas, states, CAP codes, dates and counts.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Column, ForeignKey, Index, Integer, String, Table, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from aid.extensions import Model, db
from aid.network.models import Area
from aid.security.crypto import Encrypted, Rekey, blind_index_column
from aid.timeutil import utcnow


class ReportState(StrEnum):
    UNVERIFIED = "unverified"
    DISPATCHED = "dispatched"  # responders were asked to go and look
    PROBABLE = "probable"  # some support, fewer confirmations than the network asks for
    CONFIRMED = "confirmed"
    FALSE = "false"
    EXPIRED = "expired"  # nobody re-confirmed it within the network's time
    MERGED = "merged"  # the same event as another report, which carries on


OPEN_REPORT_STATES = (ReportState.UNVERIFIED, ReportState.DISPATCHED, ReportState.PROBABLE)
# What an alert may be built from; its text then says which of the two it is.
ALERTABLE_STATES = (ReportState.CONFIRMED, ReportState.PROBABLE)


class Report(Model):
    __tablename__ = "alert_reports"
    __table_args__ = (Index("ix_alert_reports_open_created", "is_open", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(24))  # one of subscriptions.TOPICS
    area_id: Mapped[int | None] = mapped_column(ForeignKey("areas.id"), index=True)
    place: Mapped[str] = mapped_column(Encrypted("alert_reports.place"))
    details: Mapped[str] = mapped_column(Encrypted("alert_reports.details"))
    seen: Mapped[str] = mapped_column(String(12))  # now, hour, today, earlier
    source: Mapped[str] = mapped_column(String(12))  # web, hotline
    hotline_request_id: Mapped[int | None] = mapped_column(
        ForeignKey("help_requests.id", ondelete="SET NULL"), index=True)
    status: Mapped[str] = mapped_column(String(12), default=ReportState.UNVERIFIED, index=True)
    # 1 while unverified or dispatched: "unverified first" is an index scan.
    is_open: Mapped[bool] = mapped_column(default=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    verified_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"))
    verified_at: Mapped[datetime | None]
    verification_note: Mapped[str | None] = mapped_column(
        Encrypted("alert_reports.verification_note"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    # The structured part responders ask for. A kind code of `ReportKind`; counts and the
    # agency are categories (in clear); vehicle descriptions and plates are what a person wrote.
    activity: Mapped[str] = mapped_column(String(24), default="other", server_default="other")
    officers: Mapped[int | None]
    vehicles: Mapped[int | None]
    agency: Mapped[str] = mapped_column(String(16), default="", server_default="")
    vehicle_info: Mapped[str | None] = mapped_column(Encrypted("alert_reports.vehicle_info"))
    # Past this, the report is no longer current (a confirmation moves it on).
    expires_at: Mapped[datetime | None] = mapped_column(index=True)
    merged_into_id: Mapped[int | None] = mapped_column(
        ForeignKey("alert_reports.id", ondelete="SET NULL"))


class ReportKind(Model):
    """A kind of activity a report can name; a network edits the list (admin page)."""

    __tablename__ = "alert_report_kinds"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(24), unique=True)
    name: Mapped[str] = mapped_column(String(60))
    name_es: Mapped[str] = mapped_column(String(60), default="")
    # The alert topic a report of this kind falls under (subscribers choose topics).
    topic: Mapped[str] = mapped_column(String(24), default="enforcement")
    active: Mapped[bool] = mapped_column(default=True)
    position: Mapped[int] = mapped_column(default=0)

    def label(self, locale: str) -> str:
        return self.name_es if locale == "es" and self.name_es else self.name


class VerdictKind(StrEnum):
    CONFIRMED = "confirmed"
    PROBABLE = "probable"
    NOT_SEEN = "not_seen"
    FALSE = "false"


class Verdict(Model):
    """One person's answer about one report; their latest answer replaces the earlier."""

    __tablename__ = "alert_verdicts"
    __table_args__ = (UniqueConstraint("report_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(
        ForeignKey("alert_reports.id", ondelete="CASCADE"), index=True)
    # Kept when the account goes (the report's level must not change): each such row still
    # counts as one distinct person.
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"),
                                                index=True)
    outcome: Mapped[str] = mapped_column(String(12))
    note: Mapped[str] = mapped_column(Encrypted("alert_verdicts.note"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ReportPhoto(Model):
    """A photo sent with a report: re-encoded without any metadata, then encrypted."""

    __tablename__ = "alert_report_photos"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(
        ForeignKey("alert_reports.id", ondelete="CASCADE"), index=True)
    data: Mapped[str] = mapped_column(Encrypted("alert_report_photos.data"))  # base64 JPEG
    width: Mapped[int]
    height: Mapped[int]
    size: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class SmsReportDraft(Model):
    """A report being given by text, one question at a time; gone when done or stale."""

    __tablename__ = "alert_sms_drafts"

    id: Mapped[int] = mapped_column(primary_key=True)
    phone_index: Mapped[str] = blind_index_column("alerts.sms_draft", rekey=Rekey.EXPIRE,
                                                  unique=True)
    language: Mapped[str] = mapped_column(String(8), default="en")
    step: Mapped[str] = mapped_column(String(12))
    answers: Mapped[str] = mapped_column(Encrypted("alert_sms_drafts.answers"))  # JSON
    expires_at: Mapped[datetime] = mapped_column(index=True)


class Dispatch(Model):
    """A vetted responder asked (by SMS) to go and check a report: lets them see it."""

    __tablename__ = "alert_dispatches"
    __table_args__ = (UniqueConstraint("report_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(
        ForeignKey("alert_reports.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class AlertState(StrEnum):
    DRAFT = "draft"
    PENDING = "pending"  # waiting for a second coordinator
    SENDING = "sending"
    SENT = "sent"
    CANCELLED = "cancelled"


alert_areas = Table(
    "alert_areas",
    db.metadata,
    Column("alert_id", Integer, ForeignKey("alerts.id", ondelete="CASCADE"), primary_key=True),
    Column("area_id", Integer, ForeignKey("areas.id", ondelete="CASCADE"), primary_key=True),
)


class AlertKind(StrEnum):
    ALERT = "alert"
    UPDATE = "update"  # news on an alert already sent: goes to the same people
    RETRACTION = "retraction"  # "false alarm": goes to the same people


class Alert(Model):
    __tablename__ = "alerts"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(12), default=AlertKind.ALERT)
    # An update or retraction points at the alert it corrects (CAP's `references`).
    in_reply_to_id: Mapped[int | None] = mapped_column(
        ForeignKey("alerts.id", ondelete="SET NULL"), index=True)
    status: Mapped[str] = mapped_column(String(12), default=AlertState.DRAFT, index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    approver_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    report_id: Mapped[int | None] = mapped_column(
        ForeignKey("alert_reports.id", ondelete="SET NULL"), index=True)
    # "report" (a confirmed report) or "firsthand" (the author saw it: statement kept).
    basis: Mapped[str] = mapped_column(String(12))
    firsthand: Mapped[str | None] = mapped_column(Encrypted("alerts.firsthand"))
    topics: Mapped[str] = mapped_column(String(120))  # comma-separated topic codes
    severity: Mapped[str] = mapped_column(String(12))
    urgency: Mapped[str] = mapped_column(String(12))
    certainty: Mapped[str] = mapped_column(String(12))
    link: Mapped[str] = mapped_column(String(300), default="")
    # The report's level its text states ("confirmed:2", "probable"), to restate on sending.
    report_level: Mapped[str | None] = mapped_column(String(24))
    public: Mapped[bool] = mapped_column(default=False)
    recipients: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    submitted_at: Mapped[datetime | None]
    approved_at: Mapped[datetime | None] = mapped_column(index=True)
    finished_at: Mapped[datetime | None]
    cancelled_at: Mapped[datetime | None]
    expires_at: Mapped[datetime]
    # While its delivery rows are still being written (in chunks, the first with the
    # approval): the highest subscriber id that has one. None once every row exists.
    filled_to: Mapped[int | None]

    areas: Mapped[list[Area]] = relationship(secondary=alert_areas, lazy="selectin",
                                             order_by=Area.name)
    bodies: Mapped[list[AlertBody]] = relationship(cascade="all, delete-orphan",
                                                   lazy="selectin", order_by="AlertBody.language")

    @property
    def topic_list(self) -> list[str]:
        return [t for t in self.topics.split(",") if t]

    @property
    def is_current(self) -> bool:
        return self.status in (AlertState.SENDING, AlertState.SENT) and \
            self.expires_at > utcnow()


class AlertBody(Model):
    __tablename__ = "alert_bodies"
    # A plain id like every table with encrypted columns: key rotation walks rows by id.
    __table_args__ = (UniqueConstraint("alert_id", "language"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    alert_id: Mapped[int] = mapped_column(ForeignKey("alerts.id", ondelete="CASCADE"))
    language: Mapped[str] = mapped_column(String(8))
    body: Mapped[str] = mapped_column(Encrypted("alert_bodies.body"))


class DeliveryState(StrEnum):
    PENDING = "pending"
    CLAIMED = "claimed"  # a worker holds it (claim_token, claimed_at)
    SENT = "sent"  # handed to the gateway; its OutboundMessage has the provider's status
    FAILED = "failed"
    SKIPPED = "skipped"  # stopped or opted out by the time it was its turn
    CANCELLED = "cancelled"


class Delivery(Model):
    """One recipient of one alert. Created in bulk with the alert's move to `sending`;
    workers claim pending rows in batches. No phone here: the subscriber row holds it."""

    __tablename__ = "alert_deliveries"
    __table_args__ = (Index("ix_alert_deliveries_alert_status", "alert_id", "status", "id"),
                      UniqueConstraint("alert_id", "subscriber_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    alert_id: Mapped[int] = mapped_column(ForeignKey("alerts.id", ondelete="CASCADE"))
    subscriber_id: Mapped[int | None] = mapped_column(
        ForeignKey("sms_subscribers.id", ondelete="SET NULL"), index=True)
    language: Mapped[str] = mapped_column(String(8))
    status: Mapped[str] = mapped_column(String(10), default=DeliveryState.PENDING)
    claim_token: Mapped[str | None] = mapped_column(String(32))
    claimed_at: Mapped[datetime | None]
    message_id: Mapped[int | None] = mapped_column(
        ForeignKey("sms_outbound.id", ondelete="SET NULL"), index=True)
