"""How long each kind of record is kept, and the anonymous counts a wipe leaves behind."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from aid.extensions import Model
from aid.timeutil import utcnow

# kind -> (default days, what the clock starts from). The admin page lists them in this order.
RETENTION_DEFAULTS: dict[str, int] = {
    "requests": 90,  # after a request is resolved or closed, with its timeline and notes
    "board_posts": 30,  # after a post is fulfilled, expired or closed
    "subscribers_left": 30,  # after someone leaves the alerts
    "sms_outbound": 90,  # after a text is sent
    "sms_inbound": 30,  # after a text arrives (kept only to answer retries the same way)
    "codes": 1,  # one-time SMS codes, after they are made
    "audit": 365,  # audit entries
    "setup_tokens": 7,  # account set-up links, after they expire
    "applications": 180,  # volunteer applications never vetted, after sign-up
    "notifications": 30,  # notices sent to volunteers and staff, after they are made
    "calls": 90,  # the voice hotline's call log, after the call; blocks, after they end
    "cases": 180,  # detention-response cases, after they are closed
    "reports": 90,  # reports of activity with their photos and verdicts, after they came in
}


class RetentionSettings(Model):
    """One row: the number of days each kind of record is kept."""

    __tablename__ = "retention_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    requests: Mapped[int] = mapped_column(default=RETENTION_DEFAULTS["requests"])
    board_posts: Mapped[int] = mapped_column(default=RETENTION_DEFAULTS["board_posts"])
    subscribers_left: Mapped[int] = mapped_column(default=RETENTION_DEFAULTS["subscribers_left"])
    sms_outbound: Mapped[int] = mapped_column(default=RETENTION_DEFAULTS["sms_outbound"])
    sms_inbound: Mapped[int] = mapped_column(default=RETENTION_DEFAULTS["sms_inbound"])
    codes: Mapped[int] = mapped_column(default=RETENTION_DEFAULTS["codes"])
    audit: Mapped[int] = mapped_column(default=RETENTION_DEFAULTS["audit"])
    setup_tokens: Mapped[int] = mapped_column(default=RETENTION_DEFAULTS["setup_tokens"])
    applications: Mapped[int] = mapped_column(default=RETENTION_DEFAULTS["applications"])
    notifications: Mapped[int] = mapped_column(default=RETENTION_DEFAULTS["notifications"],
                                               server_default="30")
    calls: Mapped[int] = mapped_column(default=RETENTION_DEFAULTS["calls"], server_default="90")
    cases: Mapped[int] = mapped_column(default=RETENTION_DEFAULTS["cases"], server_default="180")
    reports: Mapped[int] = mapped_column(default=RETENTION_DEFAULTS["reports"],
                                         server_default="90")


class WipeCount(Model):
    """What a panic wipe removed, as numbers only: "1 wipe, all areas, 212 help_requests"."""

    __tablename__ = "wipe_counts"

    id: Mapped[int] = mapped_column(primary_key=True)
    wiped_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    scope: Mapped[str] = mapped_column(String(90))
    table_name: Mapped[str] = mapped_column(String(64))
    rows: Mapped[int]
