"""Bulk texts pages: compose with a preview of recipients, the list, approval."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from aid import errors
from aid.extensions import db
from aid.forms import ConfirmForm
from aid.network.service import active_areas
from aid.outreach import bp, service
from aid.outreach.forms import bulk_form
from aid.outreach.models import BulkState, BulkText
from aid.security import access, audit
from aid.security.access import Level
from aid.volunteers.choices import LANGUAGE_LABELS, SKILL_LABELS
from aid.volunteers.find_views import slot_labels
from aid.volunteers.search import VolunteerFilters


@bp.route("/coordinator/texts")
@access.rule(Level.COORDINATOR)
def texts() -> ResponseReturnValue:
    return render_template("outreach/list.html", rows=service.recent(), BulkState=BulkState)


@bp.route("/coordinator/texts/new", methods=["GET", "POST"])
@access.rule(Level.COORDINATOR)
@errors.back_to("outreach.texts")
def compose() -> ResponseReturnValue:
    filters = VolunteerFilters.from_args(request.args)
    form = bulk_form()
    if form.is_submitted() and form.validate() and form.send.data:
        bulk = service.create(filters, form.bodies(), current_user._get_current_object())
        if bulk.status == BulkState.PENDING:
            flash(_("Saved. It goes to more than %(n)d people, so another coordinator has to "
                    "approve it.", n=service.threshold()), "warning")
        else:
            flash(_("Sending to %(n)d volunteers.", n=bulk.recipients), "success")
        return redirect(url_for("outreach.detail", bulk_id=bulk.id))
    preview = service.preview(filters, form.bodies() if form.is_submitted() else {})
    audit.record("outreach.previewed", None, None, f"{preview.recipients} recipients")
    db.session.commit()
    return render_template("outreach/compose.html", form=form, f=filters, preview=preview,
                           names=preview.people[:service.PREVIEW_NAMES], **_labels()), \
        400 if form.errors else 200


def _labels() -> dict:
    return {"slots": slot_labels(), "language_labels": LANGUAGE_LABELS,
            "skill_labels": SKILL_LABELS, "area_names": {a.id: a.name for a in active_areas()}}


def _get(bulk_id: int) -> BulkText:
    return db.get_or_404(BulkText, bulk_id)


@bp.route("/coordinator/texts/<int:bulk_id>")
@access.rule(Level.COORDINATOR)
def detail(bulk_id: int) -> ResponseReturnValue:
    bulk = _get(bulk_id)
    audit.viewed("bulk_text", bulk.id)
    preview = service.preview(service.filters_of(bulk), {b.language: b.body for b in bulk.bodies}) \
        if bulk.status == BulkState.PENDING else None
    return render_template("outreach/detail.html", bulk=bulk, preview=preview,
                           f=service.filters_of(bulk), BulkState=BulkState,
                           mine=bulk.author_id == current_user.id, **_labels())


@bp.route("/coordinator/texts/<int:bulk_id>/approve", methods=["POST"])
@access.rule(Level.COORDINATOR)
@errors.back_to("outreach.detail")
def approve(bulk_id: int) -> ResponseReturnValue:
    bulk = _get(bulk_id)
    if not ConfirmForm().validate_on_submit():
        flash(_("That did not work. Please try again."), "error")
        return redirect(url_for("outreach.detail", bulk_id=bulk.id))
    service.approve(bulk, current_user._get_current_object())
    flash(_("Approved: sending to %(n)d volunteers.", n=bulk.recipients), "success")
    return redirect(url_for("outreach.detail", bulk_id=bulk.id))


@bp.route("/coordinator/texts/<int:bulk_id>/cancel", methods=["POST"])
@access.rule(Level.COORDINATOR)
@errors.back_to("outreach.detail")
def cancel(bulk_id: int) -> ResponseReturnValue:
    bulk = _get(bulk_id)
    if not ConfirmForm().validate_on_submit():
        flash(_("That did not work. Please try again."), "error")
        return redirect(url_for("outreach.detail", bulk_id=bulk.id))
    service.cancel(bulk, current_user._get_current_object())
    flash(_("Cancelled: nothing was sent."), "success")
    return redirect(url_for("outreach.detail", bulk_id=bulk.id))
