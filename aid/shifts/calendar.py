"""A volunteer's shifts on their own page (/my), and the private calendar feed of them.

The feed's address carries a revocable secret kept on the volunteer's profile; calendar apps
fetch it from their own servers, so it shows times and areas, never meeting places.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Response, abort, current_app, flash, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from aid.auth.models import Status
from aid.extensions import limiter
from aid.forms import ConfirmForm
from aid.network.service import current_settings
from aid.sections import Values
from aid.security import access
from aid.security.access import Level
from aid.shifts import bp, ical, labels, service
from aid.timeutil import utcnow
from aid.volunteers import my_page
from aid.volunteers import service as volunteers
from aid.volunteers.my_page import Me


@my_page.sections.add("shifts/_my_shifts.html", order=10)
def _my_shifts(me: Me) -> Values | None:
    if not me.vetted:
        return None
    return {"upcoming": service.my_signups(me.user),
            "past": service.my_signups(me.user, upcoming=False, limit=10),
            "kind_labels": labels.KIND_LABELS}


@my_page.sections.add("shifts/_my_calendar.html", order=30)
def _my_calendar(me: Me) -> Values | None:
    if not me.vetted or me.profile is None:
        return None
    token = me.profile.calendar_token
    return {"calendar_link": url_for("shifts.calendar_feed", token=token, _external=True)
            if token else None}


@bp.route("/my/calendar", methods=["POST"])
@access.rule(Level.VETTED)
def calendar_link() -> ResponseReturnValue:
    row = volunteers.profile_for(current_user._get_current_object())
    if row is None or not ConfirmForm().validate_on_submit():
        abort(400)
    if request.form.get("action") == "revoke":
        volunteers.revoke_calendar_token(row)
        flash(_("The calendar link no longer works."), "success")
    else:
        volunteers.new_calendar_token(row)
        flash(_("Your new calendar link is ready. Any older link no longer works."), "success")
    return redirect(url_for("volunteers.my_page"))


@bp.route("/calendar/<token>.ics")
@limiter.limit("60 per minute")  # a guessed token is slow to find
@access.rule(Level.PUBLIC)  # guarded by a revocable secret token
def calendar_feed(token: str) -> ResponseReturnValue:
    user = volunteers.user_for_calendar_token(token)
    if user is None or user.status != Status.VETTED:
        abort(404)
    rows = service.calendar_signups(user)
    titles, links = {}, {}
    for row in rows:
        shift = row.shift
        titles[shift.id] = f"{labels.KIND_LABELS[shift.kind]} · {shift.area.name}"
        links[shift.id] = url_for("shifts.detail", shift_id=shift.id, _external=True)
    host = urlsplit(current_app.config["PUBLIC_URL"]).hostname or "aid"
    body = ical.calendar(current_settings().network_name, rows, titles, links, host, utcnow())
    return Response(body, mimetype="text/calendar",
                    headers={"Content-Disposition": 'inline; filename="shifts.ics"'})
