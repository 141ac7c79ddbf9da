"""Shift pages: the list, one shift, create/edit, taking a place, check-in/out, reports."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from aid import errors
from aid.auth.models import User
from aid.extensions import db
from aid.forms import ConfirmForm
from aid.network.service import active_areas
from aid.security import access, audit
from aid.security.access import Level
from aid.security.numbers import bounded_int
from aid.shifts import bp, labels, service, signups
from aid.shifts.forms import CapacityForm, ReportForm, ShiftForm
from aid.shifts.models import Shift, ShiftKind, SignupStatus
from aid.timeutil import from_local, to_local
from aid.volunteers.choices import LANGUAGE_LABELS, SKILL_LABELS, SKILLS


def _me() -> User:
    return current_user._get_current_object()


def _shift_or_404(shift_id: int) -> Shift:
    shift = db.get_or_404(Shift, shift_id)
    if not service.visible_to(shift, _me()):
        abort(404)
    return shift


def _labels() -> dict:
    return {"kind_labels": labels.KIND_LABELS, "status_labels": labels.STATUS_LABELS,
            "skill_labels": SKILL_LABELS, "language_labels": LANGUAGE_LABELS,
            "outcomes": labels.OUTCOMES, "to_local": to_local}


def _filters() -> service.Filters:
    args = request.args
    try:
        from_date = date.fromisoformat(args.get("from", "")) if args.get("from") else None
    except ValueError:
        from_date = None
    area = args.get("area", "")
    return service.Filters(area_id=bounded_int(area),
                           kind=args.get("kind", ""), skill=args.get("skill", ""),
                           from_date=from_date, status=args.get("status", ""),
                           soon=args.get("soon") == "1")


@bp.route("/shifts")
@access.rule(Level.VETTED)
def index() -> ResponseReturnValue:
    filters = _filters()
    page, counts, mine = service.shifts_page(_me(), filters)
    return render_template("shifts/list.html", page=page, counts=counts, mine=mine,
                           filters=filters, areas=active_areas(), kinds=list(ShiftKind),
                           skills=SKILLS, staff=service.is_staff(_me()), **_labels())


def _data(form: ShiftForm) -> service.ShiftData:
    day, time, minutes = form.day.data, form.time.data, form.duration_minutes.data
    if day is None or time is None or minutes is None:  # a validated form has them
        raise errors.Invalid("no date", message=_("Give the date, start time and duration."))
    return service.ShiftData(
        kind=form.kind.data, status=form.status.data,
        starts_at=from_local(datetime.combine(day, time)),
        duration_minutes=minutes, area_id=form.area.data,
        needed=form.needed.data, skills=form.skills.data or [],
        languages=form.languages.data or [],
        summary=form.summary.data or "", meeting_place=form.meeting_place.data or "")


@bp.route("/shifts/new", methods=["GET", "POST"])
@access.rule(Level.COORDINATOR)
def new() -> ResponseReturnValue:
    """A new shift; `?request=<id>` makes it for a hotline request (area and language
    filled in from it)."""
    arg = request.args.get("request", "")
    linked = service.linked_request(n) if (n := bounded_int(arg)) is not None else None
    form = ShiftForm()
    if request.method == "GET" and linked is not None:
        form.area.data = linked.area_id
        form.languages.data = [linked.language]
    if form.validate_on_submit():
        shift = service.create_shift(_data(form), _me(), linked.id if linked else None)
        flash(_("Shift saved."), "success")
        return redirect(url_for("shifts.detail", shift_id=shift.id))
    status = 400 if request.method == "POST" else 200
    return render_template("shifts/form.html", form=form, shift=None, linked=linked,
                           capacities=service.capacities(), **_labels()), status


@bp.route("/shifts/<int:shift_id>/edit", methods=["GET", "POST"])
@access.rule(Level.COORDINATOR)
def edit(shift_id: int) -> ResponseReturnValue:
    shift = db.get_or_404(Shift, shift_id)
    form = ShiftForm(obj=shift if request.method == "GET" else None)
    if request.method == "GET":
        local = to_local(shift.starts_at)
        form.day.data, form.time.data = local.date(), local.time()
        form.area.data = shift.area_id
        form.skills.data, form.languages.data = shift.skill_list, shift.language_list
    if form.validate_on_submit():
        promoted = service.update_shift(shift, _data(form))
        flash(_("Shift saved."), "success")
        if promoted:
            flash(_("%(n)d people moved up from the waitlist.", n=len(promoted)), "info")
        return redirect(url_for("shifts.detail", shift_id=shift.id))
    status = 400 if request.method == "POST" else 200
    return render_template("shifts/form.html", form=form, shift=shift,
                           capacities=service.capacities(), **_labels()), status


@bp.route("/shifts/<int:shift_id>")
@access.rule(Level.VETTED)  # drafts and the meeting place: checked in the service
def detail(shift_id: int) -> ResponseReturnValue:
    shift = _shift_or_404(shift_id)
    me = _me()
    mine = service.signup_of(shift, me)
    show_place = service.may_see_place(shift, me, mine)
    if show_place:  # before loading the roster: the commit would expire its rows
        audit.viewed("shift", shift.id, "meeting place")
    rows = service.roster(shift)
    staff = service.is_staff(me)
    return render_template(
        "shifts/detail.html", shift=shift, mine=mine, show_place=show_place, staff=staff,
        rows=rows if staff or show_place else [],
        confirmed=sum(1 for r in rows if r.status == SignupStatus.CONFIRMED),
        lead=service.lead_id(shift, rows), may_report=service.may_report(shift, me, rows),
        linked=service.linked_request(shift.request_id) if staff else None,
        dropped=service.dropped(shift) if staff else [], **_labels())


def _act(shift_id: int, action: Callable[[], Any], done: str) -> ResponseReturnValue:
    """Run a place-changing action; a result that is callable gives the success message."""
    if not ConfirmForm().validate_on_submit():
        abort(400)
    result = action()  # a refusal (ShiftError) is flashed on the shift's page: aid.errors
    flash(done if not callable(result) else result(), "success")
    return redirect(url_for("shifts.detail", shift_id=shift_id))


@bp.route("/shifts/<int:shift_id>/signup", methods=["POST"])
@access.rule(Level.VETTED)
@errors.back_to("shifts.detail")
def signup(shift_id: int) -> ResponseReturnValue:
    _shift_or_404(shift_id)

    def take() -> Callable[[], str]:
        status = signups.sign_up(shift_id, _me())
        if status == SignupStatus.CONFIRMED:
            return lambda: _("You are confirmed on this shift. The meeting place is below.")
        return lambda: _("This shift is full: you are on the waitlist and will move up "
                         "automatically if a place frees.")

    return _act(shift_id, take, "")


@bp.route("/shifts/<int:shift_id>/withdraw", methods=["POST"])
@access.rule(Level.VETTED)
@errors.back_to("shifts.detail")
def withdraw(shift_id: int) -> ResponseReturnValue:
    _shift_or_404(shift_id)
    return _act(shift_id, lambda: signups.withdraw(shift_id, _me()),
                _("You have withdrawn from this shift."))


@bp.route("/shifts/<int:shift_id>/checkin", methods=["POST"])
@access.rule(Level.VETTED)
@errors.back_to("shifts.detail")
def checkin(shift_id: int) -> ResponseReturnValue:
    shift = _shift_or_404(shift_id)
    return _act(shift_id, lambda: signups.check_in(shift, _me()),
                _("Checked in. Remember to check out when you leave."))


@bp.route("/shifts/<int:shift_id>/checkout", methods=["POST"])
@access.rule(Level.VETTED)
@errors.back_to("shifts.detail")
def checkout(shift_id: int) -> ResponseReturnValue:
    shift = _shift_or_404(shift_id)
    return _act(shift_id, lambda: signups.check_out(shift, _me()),
                _("Checked out. Thank you, and take care."))


@bp.route("/shifts/<int:shift_id>/lead", methods=["POST"])
@access.rule(Level.COORDINATOR)
def set_lead(shift_id: int) -> ResponseReturnValue:
    shift = db.get_or_404(Shift, shift_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    user_id = request.form.get("user_id", "")
    if (lead := bounded_int(user_id)) is not None and service.set_lead(shift, lead):
        flash(_("Lead volunteer set."), "success")
    else:
        flash(_("Only a confirmed volunteer can lead the shift."), "error")
    return redirect(url_for("shifts.detail", shift_id=shift_id))


@bp.route("/shifts/<int:shift_id>/report", methods=["GET", "POST"])
@access.rule(Level.VETTED)  # the shift's lead volunteer, or a coordinator
def report(shift_id: int) -> ResponseReturnValue:
    shift = _shift_or_404(shift_id)
    me = _me()
    if not service.may_report(shift, me, service.roster(shift)):
        abort(403)
    form = ReportForm(obj=shift.report if request.method == "GET" else None)
    if form.validate_on_submit():
        service.save_report(shift, me, form.outcome.data, form.summary.data or "",
                            form.next_date.data, form.follow_ups.data or "")
        flash(_("Report saved. Coordinators can see it on the shift."), "success")
        return redirect(url_for("shifts.detail", shift_id=shift_id))
    status = 400 if request.method == "POST" else 200
    return render_template("shifts/report.html", form=form, shift=shift, **_labels()), status


@bp.route("/shifts/capacity", methods=["GET", "POST"])
@access.rule(Level.COORDINATOR)
def capacity() -> ResponseReturnValue:
    form = CapacityForm(data=service.capacities() if request.method == "GET" else None)
    if form.validate_on_submit():
        service.save_capacities({k.value: form[k.value].data for k in ShiftKind})
        flash(_("Default capacities saved."), "success")
        return redirect(url_for("shifts.capacity"))
    status = 400 if request.method == "POST" else 200
    return render_template("shifts/capacity.html", form=form, kinds=list(ShiftKind),
                           **_labels()), status
