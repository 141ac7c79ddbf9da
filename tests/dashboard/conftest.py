"""A network with records in every state, and what a person counting them by hand would find.

The seed keeps its own list of what it made (state, urgency, dates...), and the expected
figures are counted from that list in Python, never through the queries under test.
"""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest

from aid.alerts.models import (
    Alert,
    AlertState,
    Delivery,
    DeliveryState,
    Report,
    ReportState,
)
from aid.auth.models import Role, Status, User
from aid.board.models import Post, PostStatus
from aid.extensions import db
from aid.hotline import service as hotline
from aid.hotline.models import (
    ENDED_STATES,
    EventKind,
    RequestEvent,
    State,
)
from aid.network import service as network
from aid.shifts.models import Shift, ShiftStatus, Signup, SignupStatus
from aid.sms.models import MessageState, OutboundMessage
from aid.timeutil import utcnow
from aid.volunteers import service as volunteers
from aid.volunteers.models import Vouch
from tests.dashboard.support import Seeded

_phones = itertools.count(100)


def _profile(user: User, languages: list[str], area_ids: list[int]) -> None:
    volunteers.add_profile(user, volunteers.ProfileData(
        display_name=user.display_name, phone=f"+1202555{next(_phones):04d}",
        languages=languages, skills=[], area_ids=area_ids, availability=[], referral="-"))


@pytest.fixture
def seeded(app, make_user) -> Seeded:
    now = utcnow()
    area = network.add_area("Riverside")
    coordinator = make_user(Role.COORDINATOR)
    seed = Seeded(now=now, coordinator=coordinator)

    # Requests: every state, urgent or not, spread over ten weeks (two before the window).
    for n, (state, urgency) in enumerate(itertools.product(list(State), ("now", "days"))):
        for weeks_ago in (0, 3, 9):
            req, _token = hotline.create_request(hotline.Intake(
                category=("food", "legal", "medical", "safety")[n % 4], urgency=urgency,
                area_id=area.id, language="es", contact_method="check_back",
                details="Necesito ayuda"), )
            created = now - timedelta(weeks=weeks_ago, hours=n + 1)
            req.created_at = created
            req.status = state
            req.handled_at = created if n % 3 == 0 else now  # some left too long
            db.session.execute(RequestEvent.__table__.update().where(
                RequestEvent.request_id == req.id).values(at=created))
            if state != State.NEW:
                acted = created + timedelta(minutes=30 * (n + 1))
                db.session.add(RequestEvent(request_id=req.id, kind=EventKind.TRIAGED,
                                            actor_id=coordinator.id, at=acted))
                seed.first_action[req.id] = acted
            if state in ENDED_STATES:
                req.ended_at = created + timedelta(minutes=20 * (n + 1))
            seed.requests.append(req)
    db.session.commit()

    # Volunteers: applicants with 0 to 3 vetted vouches (2 are needed), vetted, suspended.
    vouchers = [make_user(Role.VOLUNTEER, Status.VETTED) for _ in range(3)]
    suspended_voucher = make_user(Role.VOLUNTEER, Status.SUSPENDED)
    seed.volunteers += [*vouchers, suspended_voucher]
    for vouches in (0, 1, 2, 3, 1):
        applicant = make_user(Role.VOLUNTEER, Status.APPLIED)
        _profile(applicant, ["es"], [area.id])
        for voucher in vouchers[:vouches]:
            db.session.add(Vouch(applicant_id=applicant.id, voucher_id=voucher.id))
        if vouches == 1:  # a vouch from someone no longer vetted does not count
            db.session.add(Vouch(applicant_id=applicant.id, voucher_id=suspended_voucher.id))
        seed.applicants[applicant.id] = vouches
        seed.volunteers.append(applicant)
    seed.volunteers.append(make_user(Role.VOLUNTEER, Status.SUSPENDED))
    db.session.commit()

    # Board posts in every status, some flagged.
    for n, status in enumerate(list(PostStatus) * 2):
        post = Post(kind="need", category="food", area_id=area.id, title="t", description="d",
                    status=status, flag_count=n % 3 // 2, expires_at=now + timedelta(days=9))
        db.session.add(post)
        seed.posts.append(post)

    # Reports in every state.
    for state in list(ReportState) * 2:
        report = Report(kind="safety", area_id=area.id, place="", details="d", seen="now",
                        source="web", status=state,
                        is_open=state in (ReportState.UNVERIFIED, ReportState.DISPATCHED))
        db.session.add(report)
        seed.reports.append(report)
    db.session.commit()

    # Shifts: soon with places, soon and full, soon but draft or cancelled, later, past.
    vetted = vouchers
    for hours, status, needed, confirmed in (
            (5, ShiftStatus.OPEN, 2, 1), (30, ShiftStatus.OPEN, 2, 0),
            (40, ShiftStatus.OPEN, 2, 2), (50, ShiftStatus.OPEN, 1, 3),
            (10, ShiftStatus.DRAFT, 2, 0), (20, ShiftStatus.CANCELLED, 2, 0),
            (100, ShiftStatus.OPEN, 3, 1), (-48, ShiftStatus.OPEN, 2, 1),
            (-24 * 40, ShiftStatus.OPEN, 2, 2)):
        shift = Shift(kind="court", status=status, starts_at=now + timedelta(hours=hours),
                      area_id=area.id, needed=needed, summary="s", meeting_place="m")
        db.session.add(shift)
        db.session.flush()
        people = [*vetted, coordinator]
        for i in range(confirmed):
            db.session.add(Signup(shift_id=shift.id, user_id=people[i].id,
                                  status=SignupStatus.CONFIRMED))
        db.session.add(Signup(shift_id=shift.id, user_id=people[confirmed].id,
                              status=SignupStatus.WITHDRAWN))
        seed.shifts.append((shift, confirmed))

    # Alerts in every state; the sent ones with deliveries of every outcome.
    for state in list(AlertState) * 2:
        approved = now - timedelta(days=3) if state in (AlertState.SENDING, AlertState.SENT) \
            else None
        alert = Alert(status=state, basis="firsthand", topics="safety", severity="severe",
                      urgency="immediate", certainty="observed", approved_at=approved,
                      expires_at=now + timedelta(hours=6))
        db.session.add(alert)
        db.session.flush()
        seed.alerts.append(alert)
        if approved is None:
            continue
        for delivery, message in (
                (DeliveryState.SENT, MessageState.DELIVERED),
                (DeliveryState.SENT, MessageState.DELIVERED),
                (DeliveryState.SENT, MessageState.SENT),
                (DeliveryState.SENT, MessageState.UNDELIVERED),
                (DeliveryState.FAILED, None), (DeliveryState.SKIPPED, None),
                (DeliveryState.PENDING, None)):
            msg_id = None
            if message is not None:
                msg = OutboundMessage(to_number="+12025550111", to_index="x" * 64, body="b",
                                      purpose="alert", status=message)
                db.session.add(msg)
                db.session.flush()
                msg_id = msg.id
            db.session.add(Delivery(alert_id=alert.id, language="en", status=delivery,
                                    message_id=msg_id))
            seed.deliveries.append((alert, delivery, message))
    db.session.commit()
    return seed
