"""Updates and retractions: a follow-up to an alert already sent, to exactly the people who
received it (in the language they got it in), never to anyone who subscribed since or
opted out. It is an `Alert` of kind update/retraction pointing at the original, so it goes
through the same two-person rule, fan-out and progress page; once it starts sending, the
original stops showing as current.
"""

from __future__ import annotations

from datetime import timedelta

from flask_babel import lazy_gettext as _l

from aid.alerts.models import Alert, AlertBody, AlertKind, AlertState
from aid.auth.models import User
from aid.errors import Invalid
from aid.extensions import db
from aid.security import audit
from aid.timeutil import utcnow

CORRECTABLE = (AlertState.SENDING, AlertState.SENT)


class NotCorrectable(Invalid):
    """An update or retraction that cannot be made; the view shows `reason` on its form."""


def can_correct(original: Alert) -> bool:
    return original.status in CORRECTABLE and original.kind != AlertKind.RETRACTION


def create(original: Alert, kind: str, bodies: dict[str, str], author: User) -> Alert:
    """A draft update or retraction of `original`. Commits."""
    if not can_correct(original):
        raise NotCorrectable(message=_l("Only an alert that went out can be updated or retracted."))
    if kind not in (AlertKind.UPDATE, AlertKind.RETRACTION):
        raise NotCorrectable(message=_l("Choose an update or a retraction."))
    texts = {code: text.strip()[:1600] for code, text in bodies.items() if text.strip()}
    if not texts:
        raise NotCorrectable(message=_l("Write the text in at least one language."))
    alert = Alert(
        kind=kind, in_reply_to_id=original.id, author_id=author.id,
        report_id=original.report_id, basis=original.basis, firsthand=original.firsthand,
        topics=original.topics, severity=original.severity, urgency=original.urgency,
        certainty="Unlikely" if kind == AlertKind.RETRACTION else original.certainty,
        link="", public=original.public,
        # Still worth sending after the original's expiry: an hour at least.
        expires_at=max(original.expires_at, utcnow() + timedelta(hours=1)),
        bodies=[AlertBody(language=code, body=text) for code, text in texts.items()])
    alert.areas = list(original.areas)
    db.session.add(alert)
    db.session.flush()
    audit.record(f"alert.{kind}_drafted", "alert", alert.id, f"in reply to {original.id}")
    db.session.commit()
    return alert
