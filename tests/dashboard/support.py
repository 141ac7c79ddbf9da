"""What the dashboard tests share that is not a fixture: the seed's own record of what it
made, and the request states counted as open."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from aid.alerts.models import Alert, Report
from aid.auth.models import User
from aid.board.models import Post
from aid.hotline.models import OPEN_STATES, HelpRequest
from aid.shifts.models import Shift


@dataclass
class Seeded:
    now: datetime
    coordinator: User
    requests: list[HelpRequest] = field(default_factory=list)
    first_action: dict[int, datetime] = field(default_factory=dict)  # request id -> when
    applicants: dict[int, int] = field(default_factory=dict)  # applicant id -> vetted vouches
    volunteers: list[User] = field(default_factory=list)
    posts: list[Post] = field(default_factory=list)
    reports: list[Report] = field(default_factory=list)
    shifts: list[tuple[Shift, int]] = field(default_factory=list)  # shift, confirmed
    alerts: list[Alert] = field(default_factory=list)
    deliveries: list[tuple[Alert, str, str | None]] = field(default_factory=list)



def open_states() -> set[str]:
    return {str(s) for s in OPEN_STATES}
