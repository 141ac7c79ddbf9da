"""A bulk text whose worker dies mid-send is resumed by the periodic sweep, from where it
stopped: every recipient gets it, nobody twice, and a job that is alive keeps its lease."""

from __future__ import annotations

import secrets
from datetime import timedelta
from itertools import count

import pytest
from sqlalchemy import select, update

from aid.auth.models import Role, Status, User
from aid.extensions import db
from aid.outreach import sending, service
from aid.outreach.models import BulkState, BulkText
from aid.sms.backends import Sendable, SendResult
from aid.sms.models import OutboundMessage
from aid.timeutil import utcnow
from aid.volunteers import service as volunteers
from aid.volunteers.search import VolunteerFilters
from aid.volunteers.service import ProfileData
from tests.helpers import PASSWORD

_n = count(1)
NUMBERS = [f"+1202555041{i}" for i in range(6)]


class Killed(BaseException):
    """The worker process going away: nothing of it runs any more (not even `except`)."""


class Provider:
    """A fake provider that records each text and, once, fails on the k-th one."""

    def __init__(self, fail_on: int | None = None, error: type[BaseException] = RuntimeError):
        self.sent: list[str] = []
        self.calls = 0
        self.fail_on, self.error = fail_on, error

    def send(self, msg: Sendable, validity_period: int | None) -> SendResult:
        self.calls += 1
        if self.calls == self.fail_on:
            raise self.error("the worker died")
        self.sent.append(msg.to_number)
        return SendResult(sid=f"SM{secrets.token_hex(16)}", status="queued")


@pytest.fixture
def provider(monkeypatch) -> Provider:
    fake = Provider()
    monkeypatch.setattr(sending, "backend_for", lambda _name: fake)
    return fake


@pytest.fixture
def bulk(app, make_user, monkeypatch) -> BulkText:
    """A bulk text to six volunteers, approved (its rows made) but with no job run yet."""
    for phone in NUMBERS:
        n = next(_n)
        user: User = volunteers.sign_up(f"r{n}@example.org", PASSWORD, ProfileData(
            display_name=f"Volunteer {n}", phone=phone, languages=["en"], skills=[],
            area_ids=[], availability=[], referral=""))
        user.status = "vetted"
    db.session.commit()
    author = make_user(Role.COORDINATOR, Status.VETTED)
    second = make_user(Role.COORDINATOR, Status.VETTED)
    started: list[int] = []
    monkeypatch.setattr(sending, "send_bulk", started.append)
    row = service.create(VolunteerFilters.from_args({"status": "vetted"}),
                         {"en": "Training Tuesday 7pm."}, author)
    service.approve(row, second)
    monkeypatch.undo()  # back to the real job (the provider fixture patches again below)
    assert started == [row.id] and row.status == BulkState.SENDING and row.recipients == 6
    return row


def _age_lease(bulk_id: int, app) -> None:
    """Time passing: the lease is older than the stale limit."""
    old = utcnow() - timedelta(seconds=app.config["OUTREACH_CLAIM_STALE_SECONDS"] + 1)
    db.session.execute(update(BulkText).where(BulkText.id == bulk_id).values(claimed_at=old))
    db.session.commit()


def _messages(bulk_id: int) -> list[OutboundMessage]:
    db.session.expire_all()
    return list(db.session.scalars(select(OutboundMessage).where(
        OutboundMessage.purpose == "bulk").order_by(OutboundMessage.id)))


@pytest.mark.parametrize("k", [1, 3, 6])
def test_a_send_interrupted_after_k_texts_resumes_to_the_full_set(app, bulk, monkeypatch, k):
    fake = Provider(fail_on=k)
    monkeypatch.setattr(sending, "backend_for", lambda _name: fake)
    with pytest.raises(RuntimeError):
        sending.send_all(bulk.id)
    assert len(fake.sent) == k - 1
    db.session.refresh(bulk)
    assert bulk.status == BulkState.SENDING

    assert sending.resume_stale() == [bulk.id]  # the next minute's sweep
    assert sorted(fake.sent) == sorted(NUMBERS)  # everyone, nobody twice
    assert fake.calls == 7  # the interrupted text once more, nothing else
    db.session.refresh(bulk)
    assert bulk.status == BulkState.SENT and bulk.claim_token is None
    assert all(m.provider_sid for m in _messages(bulk.id))
    assert sending.resume_stale() == []  # done: nothing to resume


def test_a_killed_worker_is_resumed_once_its_lease_is_stale(app, bulk, monkeypatch):
    fake = Provider(fail_on=3, error=Killed)
    monkeypatch.setattr(sending, "backend_for", lambda _name: fake)
    with pytest.raises(Killed):
        sending.send_all(bulk.id)
    first = list(fake.sent)
    assert len(first) == 2

    # Its lease is still young: the sweep and a duplicate job leave the text alone.
    assert sending.resume_stale() == []
    assert sending.send_all(bulk.id) == 0
    assert fake.sent == first

    _age_lease(bulk.id, app)
    assert sending.resume_stale() == [bulk.id]
    # The text the dead worker was handing over may have gone out: it is not sent again.
    rows = _messages(bulk.id)
    unsent = [m for m in rows if not m.provider_sid]
    assert [(m.status, m.error_note) for m in unsent] == [("failed", sending.INTERRUPTED)]
    assert sorted(fake.sent) == sorted(set(NUMBERS) - {unsent[0].to_number})
    db.session.refresh(bulk)
    assert bulk.status == BulkState.SENT


def test_a_live_lease_is_not_stolen(app, bulk, provider):
    other = "another-job"
    db.session.execute(update(BulkText).where(BulkText.id == bulk.id)
                       .values(claim_token=other, claimed_at=utcnow()))
    db.session.commit()
    assert sending.resume_stale() == []
    assert sending.send_all(bulk.id) == 0
    assert provider.sent == []
    db.session.refresh(bulk)
    assert (bulk.status, bulk.claim_token) == (BulkState.SENDING, other)
