"""Help requests and their timeline.

Everything a person tells us (name, phone, what they need, every later message and note) is
stored encrypted; what stays in clear is what a triage list needs to sort and count: category,
urgency, area, language, status and dates. A database dump shows that someone in Riverside
needed legal help on a Tuesday, never who or why.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ColumnElement, ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column

from aid.extensions import Model, in_literals
from aid.security.crypto import Encrypted, Rekey, blind_index_column
from aid.timeutil import utcnow


class State(StrEnum):
    NEW = "new"
    TRIAGED = "triaged"
    ASSIGNED = "assigned"
    IN_PROGRESS = "in_progress"
    WAITING = "waiting"
    RESOLVED = "resolved"
    DUPLICATE = "closed_duplicate"
    SPAM = "closed_spam"
    WITHDRAWN = "closed_withdrawn"


OPEN_STATES = (State.NEW, State.TRIAGED, State.ASSIGNED, State.IN_PROGRESS, State.WAITING)
# The open states as SQL, for the partial index the default queue walks.
OPEN_WHERE = "status IN ('new', 'triaged', 'assigned', 'in_progress', 'waiting')"
ENDED_STATES = (State.RESOLVED, State.DUPLICATE, State.SPAM, State.WITHDRAWN)

# Who may move a request from one state to the next. Assignment (-> assigned) and merging
# (-> closed_duplicate) have their own actions, because they carry more than a state.
TRANSITIONS: dict[State, tuple[State, ...]] = {
    State.NEW: (State.TRIAGED, State.SPAM, State.WITHDRAWN),
    State.TRIAGED: (State.WAITING, State.RESOLVED, State.SPAM, State.WITHDRAWN),
    State.ASSIGNED: (State.IN_PROGRESS, State.WAITING, State.RESOLVED, State.TRIAGED,
                     State.WITHDRAWN),
    State.IN_PROGRESS: (State.WAITING, State.RESOLVED, State.TRIAGED, State.WITHDRAWN),
    State.WAITING: (State.IN_PROGRESS, State.RESOLVED, State.TRIAGED, State.WITHDRAWN),
    State.RESOLVED: (State.TRIAGED,),  # reopen
    State.DUPLICATE: (),
    State.SPAM: (State.TRIAGED,),
    State.WITHDRAWN: (State.TRIAGED,),
}
# What the assigned volunteer may do themselves.
VOLUNTEER_TRANSITIONS: dict[State, tuple[State, ...]] = {
    State.ASSIGNED: (State.IN_PROGRESS, State.WAITING, State.RESOLVED),
    State.IN_PROGRESS: (State.WAITING, State.RESOLVED),
    State.WAITING: (State.IN_PROGRESS, State.RESOLVED),
}


class Category(StrEnum):
    LEGAL = "legal"
    MEDICAL = "medical"
    HOUSING = "housing"
    FOOD = "food"
    MONEY = "money"
    ACCOMPANIMENT = "accompaniment"
    SAFETY = "safety"
    OTHER = "other"


class Urgency(StrEnum):
    NOW = "now"
    DAYS = "days"
    WEEKS = "weeks"


URGENCY_RANK = {Urgency.NOW: 3, Urgency.DAYS: 2, Urgency.WEEKS: 1}


class Contact(StrEnum):
    SMS = "sms"
    CALL = "call"
    CHECK_BACK = "check_back"


class Channel(StrEnum):
    WEB = "web"
    PHONE = "phone"  # a call a coordinator typed in
    SMS = "sms"
    VOICE = "voice"  # the voice hotline: a voicemail or a missed call


class HelpRequest(Model):
    __tablename__ = "help_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(8), unique=True)
    # sha256 of the private status link's token: the link works, a dump does not give it away.
    status_token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    status: Mapped[str] = mapped_column(String(20), default=State.NEW, index=True)
    category: Mapped[str] = mapped_column(String(16), index=True)
    # 3 = now, 2 = days, 1 = weeks: sorting "most urgent first" is an index scan.
    urgency: Mapped[int]
    area_id: Mapped[int | None] = mapped_column(ForeignKey("areas.id"), index=True)
    language: Mapped[str] = mapped_column(String(8), index=True)
    contact_method: Mapped[str] = mapped_column(String(12))
    channel: Mapped[str] = mapped_column(String(8), default=Channel.WEB)
    name: Mapped[str | None] = mapped_column(Encrypted("help_requests.name"))
    phone: Mapped[str | None] = mapped_column(Encrypted("help_requests.phone"))
    phone_index: Mapped[str | None] = blind_index_column("phone", "phone", index=True)
    details: Mapped[str] = mapped_column(Encrypted("help_requests.details"))
    taken_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True)
    assignee_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True)
    merged_into_id: Mapped[int | None] = mapped_column(
        ForeignKey("help_requests.id", ondelete="SET NULL"), index=True)
    consent_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    # The last time someone on the team acted on it; the queue flags requests left too long.
    handled_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    ended_at: Mapped[datetime | None]
    purge_after: Mapped[datetime | None] = mapped_column(index=True)

    __table_args__ = (
        Index("ix_help_requests_queue", "urgency", "created_at"),
        # The queue's order, read backwards: the first page of a status (and every page after
        # it, by keyset) is a walk down this index, never a sort of all matching rows.
        Index("ix_help_requests_status_order", "status", "urgency", "created_at", "id"),
        # The default view (every open state) in the same order, holding only open rows.
        Index("ix_help_requests_open_order", "urgency", "created_at", "id",
              postgresql_where=text(OPEN_WHERE), sqlite_where=text(OPEN_WHERE)),
        # The open queue filtered by category or by area, in the same order: the page and its
        # bounded count read only matching entries, never a lookup of each open row.
        Index("ix_help_requests_open_category_order", "category", "urgency", "created_at", "id",
              postgresql_where=text(OPEN_WHERE), sqlite_where=text(OPEN_WHERE)),
        Index("ix_help_requests_open_area_order", "area_id", "urgency", "created_at", "id",
              postgresql_where=text(OPEN_WHERE), sqlite_where=text(OPEN_WHERE)),
    )

    @property
    def state(self) -> State:
        return State(self.status)

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES


def open_status() -> ColumnElement[bool]:
    """`status IN ('new', ..., 'waiting')`, written so the open-queue indexes serve it (with
    bound values SQLite would walk a whole-table index, reading every request of a category
    to find its few open ones)."""
    return in_literals(HelpRequest.status, OPEN_STATES)


class StatusCount(Model):
    """How many requests are in each status, kept exact by database triggers (see the
    migration `perf_0001`) in the same transaction as every insert, status change and delete,
    whichever code path makes it (the ORM, a bulk purge, an area wipe). The queue's counts
    are then one read of nine rows at any size, instead of a GROUP BY over every request."""

    __tablename__ = "help_request_counts"

    status: Mapped[str] = mapped_column(String(20), primary_key=True)
    n: Mapped[int] = mapped_column(default=0)


class EventKind(StrEnum):
    CREATED = "created"
    STATUS = "status"
    TRIAGED = "triaged"
    ASSIGNED = "assigned"
    NOTE = "note"
    MESSAGE = "message"  # more text from the requester (SMS)
    MERGED = "merged"
    REPLY = "reply"
    CALL = "call"  # the requester called the hotline (detail: answered, voicemail, missed)


class RequestEvent(Model):
    """One line of a request's timeline: who did what, when."""

    __tablename__ = "request_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("help_requests.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(12))
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str | None] = mapped_column(String(20))
    subject_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Non-personal facts only ("queued for SMS", a reference code).
    detail: Mapped[str] = mapped_column(String(80), default="")
    body: Mapped[str | None] = mapped_column(Encrypted("request_events.body"))
    # The provider's id of an inbound text: a webhook delivered twice is stored once.
    message_sid: Mapped[str | None] = mapped_column(String(64), unique=True)


class RequestWord(Model):
    """A keyed hash of one normalised word of a request's details (blind index): coordinators
    search by words, a database dump holds no word of what anyone wrote."""

    __tablename__ = "request_words"

    word: Mapped[str] = blind_index_column("request_word", rekey=Rekey.REBUILD, primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("help_requests.id", ondelete="CASCADE"), primary_key=True, index=True)
class SavedReply(Model):
    """A reply the team texts requesters often ("We received your request..."), kept per
    language so the one in the requester's language is a tap away. Encrypted like every
    text the team writes: it may name a lawyer or a meeting point."""

    __tablename__ = "saved_replies"

    id: Mapped[int] = mapped_column(primary_key=True)
    language: Mapped[str] = mapped_column(String(8), index=True)
    title: Mapped[str] = mapped_column(Encrypted("saved_replies.title"))
    body: Mapped[str] = mapped_column(Encrypted("saved_replies.body"))
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
