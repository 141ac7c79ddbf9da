"""Retention: records past their period are deleted (not flagged); the admin sets periods."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select

from aid.auth.models import Role
from aid.board.models import Post
from aid.extensions import db
from aid.hotline import service as hotline
from aid.hotline.models import HelpRequest, RequestEvent, State
from aid.privacy import registry, service
from aid.security.audit import AuditEvent
from aid.sms.models import OutboundMessage, Subscriber
from aid.sms.subscriptions import leave
from aid.timeutil import utcnow
from tests.privacy.support import PERSONAL, decrypted_values


def _resolve(req, coordinator) -> None:
    hotline.change_status(req, State.TRIAGED, coordinator)
    hotline.change_status(req, State.RESOLVED, coordinator)


def _age(model, column: str, days: int) -> None:
    for row in db.session.scalars(select(model)):
        setattr(row, column, utcnow() - timedelta(days=days))
    db.session.commit()


def test_purge_deletes_each_kind_past_its_period_and_keeps_the_rest(network):
    req = db.session.get(HelpRequest, network.request_id)
    _resolve(req, network.coordinator)
    assert req.purge_after - req.ended_at == timedelta(days=90)
    leave(db.session.get(Subscriber, network.subscriber_id))
    board_post = db.session.get(Post, network.post_id)
    board_post.closed_at = board_post.purge_at = None
    db.session.commit()

    assert service.purge_all(dry_run=True)["requests"] == 0  # resolved today: kept
    _age(HelpRequest, "ended_at", 91)
    _age(Subscriber, "stopped_at", 31)
    _age(OutboundMessage, "created_at", 91)
    dry = service.purge_all(dry_run=True)
    assert dry["requests"] == 1 and dry["subscribers_left"] == 1 and dry["sms_outbound"] >= 1
    assert db.session.get(HelpRequest, network.request_id) is not None  # a dry run deletes nothing

    counts = service.purge_all()
    assert counts == dry
    db.session.expire_all()
    assert db.session.get(HelpRequest, network.request_id) is None
    assert db.session.scalar(select(func.count(RequestEvent.id))) == 0
    assert db.session.get(Subscriber, network.subscriber_id) is None
    assert db.session.get(Post, network.post_id) is not None  # open post: not due
    values = decrypted_values()
    for secret in ("Lupe Quintero", "hermano fue detenido", "+14155550177"):
        assert not any(secret in v for v in values)
    assert any("Marisol Vega" in v for v in values)  # a vetted volunteer stays
    entry = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "retention.purged"))
    assert "requests 1" in entry.detail and not any(p in entry.detail for p in PERSONAL)


def test_never_vetted_applications_go_after_their_period(network):
    from tests.volunteers import factories

    applicant = factories.volunteer(status="applied", name="Old Applicant")
    applicant.created_at = utcnow() - timedelta(days=181)
    db.session.commit()
    assert service.purge_all()["applications"] == 1
    assert not any("Old Applicant" in v for v in decrypted_values())


def test_admin_sets_periods_and_the_board_and_hotline_use_them(aid_test, client, signed_in,
                                                               network):
    signed_in(Role.ADMIN)
    page = client.get("/admin/retention").get_data(as_text=True)
    assert "Due for deletion tonight" in page
    data = {k: str(v) for k, v in service.RETENTION_DEFAULTS.items()} | {"requests": "14",
                                                                         "board_posts": "3"}
    response = aid_test.post_form(client, "/admin/retention", data)
    assert response.status_code == 302
    assert service.retention_days("requests") == 14
    req = db.session.get(HelpRequest, network.request_id)
    _resolve(req, network.coordinator)
    assert req.purge_after - req.ended_at == timedelta(days=14)
    bad = aid_test.post_form(client, "/admin/retention", data | {"audit": "0"})
    assert bad.status_code == 400 and service.retention_days("audit") == 365


def test_cli_purge_prints_counts_only(runner, network):
    req = db.session.get(HelpRequest, network.request_id)
    _resolve(req, network.coordinator)
    _age(HelpRequest, "ended_at", 100)
    dry = runner.invoke(args=["purge", "--dry-run"])
    assert "requests           would delete 1" in dry.output
    assert db.session.get(HelpRequest, network.request_id) is not None
    done = runner.invoke(args=["purge"])
    assert "requests           deleted 1" in done.output
    assert not any(p in done.output for p in PERSONAL)
    db.session.expire_all()
    assert db.session.get(HelpRequest, network.request_id) is None


def test_several_purgers_under_one_retention_kind_all_run(app, monkeypatch):
    monkeypatch.setattr(registry, "PURGERS", dict(registry.PURGERS))
    given: dict[str, list[tuple[datetime, bool]]] = {"first": [], "second": []}

    @registry.on_purge("audit", tables=("audit_events",))
    def first(cutoff: datetime, dry_run: bool = False) -> int:
        given["first"].append((cutoff, dry_run))
        return 2

    @registry.on_purge("audit", tables=("audit_events",))
    def second(cutoff: datetime, dry_run: bool = False) -> int:
        given["second"].append((cutoff, dry_run))
        return 3

    assert [p.name for p in registry.purgers("audit")][-2:] == [first.__qualname__,
                                                                second.__qualname__]
    now = utcnow()
    counts = service.purge_all(dry_run=True, now=now, kinds=["audit"])
    cutoff = now - timedelta(days=service.RETENTION_DEFAULTS["audit"])
    assert given == {"first": [(cutoff, True)], "second": [(cutoff, True)]}
    assert counts == {"audit": 5}  # the audit log's own purge found nothing as old
    registry.on_purge("audit", tables=("audit_events",))(second)  # again: replaced, not doubled
    service.purge_all(dry_run=True, now=now, kinds=["audit"])
    assert len(given["second"]) == 2 and len(registry.purgers("audit")) == 3
