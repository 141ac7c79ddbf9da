"""The admin outbox: every text the app sent or refused to send, newest first."""

from __future__ import annotations

from flask import render_template, request
from flask.typing import ResponseReturnValue
from sqlalchemy import select

from aid.extensions import db
from aid.pagination import keyset_paginate, page_number
from aid.security import access, audit
from aid.security.access import Level
from aid.sms import bp
from aid.sms.labels import PURPOSE_LABELS, STATUS_LABELS
from aid.sms.models import MessageState, OutboundMessage

STATUSES = [state.value for state in MessageState]


def masked(e164: str) -> str:
    """Enough of a number to tell texts apart, not enough to call anyone."""
    return f"…{e164[-4:]}" if len(e164) > 4 else "…"


@bp.route("/admin/outbox")
@access.rule(Level.ADMIN)
def outbox() -> ResponseReturnValue:
    query = select(OutboundMessage).order_by(OutboundMessage.id.desc())
    status = request.args.get("status", "")
    if status in STATUSES:
        query = query.where(OutboundMessage.status == status)
    purpose = request.args.get("purpose", "").strip()[:32]
    if purpose:
        query = query.where(OutboundMessage.purpose == purpose)
    # Recorded before the query: a commit afterwards would expire every row on the page,
    # and each would be read again, one statement a row.
    audit.record("outbox.viewed", "sms_outbound", None, f"page {page_number()}")
    db.session.commit()
    page = keyset_paginate(query, (OutboundMessage.id,))  # newest first, any depth
    return render_template("sms/outbox.html", page=page, statuses=STATUSES, status=status,
                           purpose=purpose, masked=masked, status_labels=STATUS_LABELS,
                           purpose_labels=PURPOSE_LABELS)
