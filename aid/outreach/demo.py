"""Sample bulk texts for `aid demo`: one sent to the vetted volunteers and one in Spanish
waiting for a second coordinator, so every bulk text page has something to show. Both are
made as rows only: a demo never texts anyone."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from urllib.parse import urlencode

from sqlalchemy import select

from aid.auth import service as accounts
from aid.extensions import db
from aid.outreach import service
from aid.outreach.models import BulkState, BulkText, BulkTextBody
from aid.timeutil import utcnow
from aid.volunteers.search import VolunteerFilters

SENT = {"en": "Eastside Mutual Aid: volunteer training Tuesday 7pm at the library. "
              "Reply here if you need a ride.",
        "es": "Eastside Mutual Aid: capacitación de voluntarios el martes a las 7 en la "
              "biblioteca. Responda si necesita transporte."}
WAITING = {"es": "Eastside Mutual Aid: buscamos intérpretes para el sábado por la mañana. "
                 "¿Puede ayudar? Responda a este mensaje."}


def create_demo() -> Iterator[str]:
    if db.session.scalar(select(BulkText.id).limit(1)) is not None:
        yield "Bulk texts: demo texts already there"
        return
    coordinator = accounts.find_by_email("coord@demo.example")
    admin = accounts.find_by_email("admin@demo.example")
    if coordinator is None or admin is None:
        return
    now = utcnow()
    sent_to = VolunteerFilters.from_args({"status": "vetted"})
    recipients = service.preview(sent_to, SENT).recipients
    db.session.add(BulkText(
        author_id=coordinator.id, approver_id=coordinator.id, status=BulkState.SENT,
        filters=urlencode(sent_to.args()), recipients=recipients,
        created_at=now - timedelta(days=2), approved_at=now - timedelta(days=2),
        finished_at=now - timedelta(days=2),
        bodies=[BulkTextBody(language=k, body=v) for k, v in SENT.items()]))
    # Written by the admin, so the demo coordinator is the second person who may approve it.
    waiting_for = VolunteerFilters.from_args({"status": "vetted", "language": "es"})
    db.session.add(BulkText(
        author_id=admin.id, status=BulkState.PENDING, filters=urlencode(waiting_for.args()),
        created_at=now - timedelta(hours=3),
        bodies=[BulkTextBody(language=k, body=v) for k, v in WAITING.items()]))
    db.session.commit()
    yield f"Bulk texts: 1 sent (to {recipients} volunteers), 1 waiting for approval"
