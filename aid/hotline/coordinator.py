"""The coordinators' side: triage queue, phone intake, a request's page and its actions."""

from __future__ import annotations

from contextlib import suppress
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from aid import errors
from aid.auth.models import User
from aid.extensions import db
from aid.forms import add_error
from aid.hotline import bp, ranking, replies, request_page, service
from aid.hotline.forms import (
    STATE_LABELS,
    AssignForm,
    MergeForm,
    NoteForm,
    ReplyForm,
    StatusForm,
    TriageForm,
)
from aid.hotline.models import TRANSITIONS, URGENCY_RANK, Channel, HelpRequest, State
from aid.hotline.queries import AGES, Filters, load_queue
from aid.hotline.views import intake_from, new_help_form, reply_flash
from aid.network.models import Area
from aid.network.service import active_areas, current_settings
from aid.phones import display_phone
from aid.security import access, audit
from aid.security.access import Level
from aid.security.numbers import bounded_int
from aid.shifts import labels as shift_labels
from aid.shifts import service as shifts


@bp.route("/coordinator/requests")
@access.rule(Level.COORDINATOR)
def queue() -> ResponseReturnValue:
    filters = Filters.from_args(request.args)
    found = load_queue(filters)
    people = service.assignee_choices(current_user, found.people.values(),
                                      bounded_int(filters.assignee))
    return render_template(
        "hotline/queue.html", q=found, f=filters, ages=AGES, states=list(State),
        areas=active_areas(), people=people,
        languages=current_settings().language_list, queue_full=service.queue_full_notice())


@bp.route("/coordinator/requests/new", methods=["GET", "POST"])
@access.rule(Level.COORDINATOR)
def phone_intake() -> ResponseReturnValue:
    """A call taken by a coordinator: the same form, stamped with who took it."""
    form = new_help_form(by_phone=True)
    if form.validate_on_submit():
        req, _token = service.create_request(intake_from(form), Channel.PHONE, current_user)
        flash(_("Request %(code)s recorded. Read the code to the caller.", code=req.code),
              "success")
        return redirect(url_for("hotline.detail", request_id=req.id))
    return render_template("hotline/ask.html", form=form, by_phone=True), (
        400 if form.is_submitted() else 200)


def _get(request_id: int) -> HelpRequest:
    return db.get_or_404(HelpRequest, request_id)


def _status_choices(req: HelpRequest) -> list[tuple[str, str]]:
    """The current status first (pre-selected: sending the form unchanged changes nothing),
    then the statuses it may move to."""
    return [(str(s), STATE_LABELS[s]) for s in (req.state, *TRANSITIONS[req.state])]


def _page(req: HelpRequest, code: int = 200, **forms: Any) -> ResponseReturnValue:
    events, people = service.timeline(req)
    triage = forms.pop("triage", None) or TriageForm(formdata=None, data={
        "category": req.category, "urgency": _urgency_name(req.urgency),
        "area": str(req.area_id or ""), "language": req.language})
    status_form = forms.pop("status", None) or StatusForm(formdata=None,
                                                          data={"status": req.status})
    status_form.status.choices = _status_choices(req)
    ranked = ranking.ranked_for(req)
    assign = forms.pop("assign", None) or AssignForm(
        formdata=None, data={"volunteer": str(req.assignee_id or "")})
    assign.volunteer.choices = ([] if req.assignee_id else [("", _("Choose a person"))]) + [
        (str(r.user.id), f"{r.user.display_name} · {r.why}") for r in ranked]
    reply = forms.pop("reply", None) or _reply_form(req)
    own_language, other_languages = replies.offered(req)
    merged_into = db.session.get(HelpRequest, req.merged_into_id) if req.merged_into_id else None
    taken_by = db.session.get(User, req.taken_by_id) if req.taken_by_id else None
    return render_template(
        "hotline/detail.html", req=req, events=events, area=_area(req), people=people,
        taken_by=taken_by,
        phone=display_phone(req.phone) if req.phone else None, merged_into=merged_into,
        triage_form=triage, status_form=status_form, assign_form=assign,
        can_move=bool(TRANSITIONS[req.state]),
        ranked=ranked[:TOP_RANKED],
        note_form=forms.pop("note", None) or NoteForm(formdata=None),
        merge_form=forms.pop("merge", None) or MergeForm(formdata=None),
        reply_form=reply, own_replies=own_language, other_replies=other_languages,
        filled=lambda r: replies.filled(r, req),
        linked_shifts=shifts.shifts_for_request(req.id), shift_kinds=shift_labels.KIND_LABELS,
        shift_outcomes=shift_labels.OUTCOMES, sections=request_page.sections.parts(req)), code


TOP_RANKED = 3  # one-tap buttons; everyone else is in the select, in the same order


def _reply_form(req: HelpRequest) -> ReplyForm:
    """The text box, filled with a saved reply when one was chosen (`?reply=<id>`)."""
    chosen = bounded_int(request.args.get("reply"))
    form = ReplyForm(formdata=None)
    if chosen:
        # A reply deleted since the page was shown leaves the box empty.
        with suppress(errors.NotFound):
            form.message.data = replies.filled(replies.get(chosen), req)
    return form


def _area(req: HelpRequest) -> Area | None:
    return db.session.get(Area, req.area_id) if req.area_id else None


def _urgency_name(rank: int) -> str:
    return next(str(k) for k, v in URGENCY_RANK.items() if v == rank)


def _back(req: HelpRequest) -> ResponseReturnValue:
    return redirect(url_for("hotline.detail", request_id=req.id))


@bp.route("/coordinator/requests/<int:request_id>")
@access.rule(Level.COORDINATOR)
def detail(request_id: int) -> ResponseReturnValue:
    req = _get(request_id)
    audit.viewed("help_request", req.id)
    return _page(req)


@bp.route("/coordinator/requests/<int:request_id>/triage", methods=["POST"])
@access.rule(Level.COORDINATOR)
def triage(request_id: int) -> ResponseReturnValue:
    req = _get(request_id)
    form = TriageForm()
    if not form.validate_on_submit():
        return _page(req, 400, triage=form)
    service.triage(req, current_user, category=form.category.data, urgency=form.urgency.data,
                   area_id=bounded_int(form.area.data),
                   language=form.language.data)
    flash(_("Triage saved."), "success")
    return _back(req)


@bp.route("/coordinator/requests/<int:request_id>/status", methods=["POST"])
@access.rule(Level.COORDINATOR)
@errors.back_to("hotline.detail")
def change_status(request_id: int) -> ResponseReturnValue:
    req = _get(request_id)
    form = StatusForm()
    form.status.choices = _status_choices(req)
    if not form.validate_on_submit():
        flash(_("That change is not possible now."), "error")
        return _back(req)
    if form.status.data == req.status:
        flash(_("The status stays: %(status)s", status=STATE_LABELS[req.state]), "success")
        return _back(req)
    service.change_status(req, State(form.status.data), current_user)
    flash(_("Status changed to: %(status)s", status=STATE_LABELS[req.state]), "success")
    return _back(req)


@bp.route("/coordinator/requests/<int:request_id>/assign", methods=["POST"])
@access.rule(Level.COORDINATOR)
@errors.back_to("hotline.detail")
def assign(request_id: int) -> ResponseReturnValue:
    req = _get(request_id)
    form = AssignForm()
    people = {str(a.user.id): a.user for a in service.assignable_people()}
    form.volunteer.choices = [(k, v.display_name) for k, v in people.items()]
    if not form.validate_on_submit():
        return _page(req, 400, assign=form)
    if form.volunteer.data == str(req.assignee_id or ""):
        flash(_("Already assigned to %(name)s.", name=people[form.volunteer.data].display_name),
              "success")
        return _back(req)
    service.assign(req, people[form.volunteer.data], current_user)
    flash(_("Assigned to %(name)s.", name=people[form.volunteer.data].display_name), "success")
    return _back(req)


@bp.route("/coordinator/requests/<int:request_id>/note", methods=["POST"])
@access.rule(Level.COORDINATOR)
def add_note(request_id: int) -> ResponseReturnValue:
    req = _get(request_id)
    form = NoteForm()
    if not form.validate_on_submit():
        return _page(req, 400, note=form)
    service.add_note(req, current_user, form.body.data or "")
    flash(_("Note added."), "success")
    return _back(req)


@bp.route("/coordinator/requests/<int:request_id>/merge", methods=["POST"])
@access.rule(Level.COORDINATOR)
def merge(request_id: int) -> ResponseReturnValue:
    req = _get(request_id)
    form = MergeForm()
    if not form.validate_on_submit():
        return _page(req, 400, merge=form)
    primary = service.find_by_code(form.code.data)
    if primary is None:
        add_error(form.code, _("No request has this code."))
        return _page(req, 400, merge=form)
    if not service.can_merge(req, primary):
        add_error(form.code, service.NOT_MERGEABLE)
        return _page(req, 400, merge=form)
    service.merge(req, primary, current_user)
    flash(_("Merged into %(code)s.", code=primary.code), "success")
    return redirect(url_for("hotline.detail", request_id=primary.id))


@bp.route("/coordinator/requests/<int:request_id>/reply", methods=["POST"])
@access.rule(Level.COORDINATOR)
@errors.back_to("hotline.detail")
def reply(request_id: int) -> ResponseReturnValue:
    req = _get(request_id)
    form = ReplyForm()
    if not form.validate_on_submit():
        return _page(req, 400, reply=form)
    reply_flash(service.send_reply(req, form.message.data or "", current_user))
    return _back(req)
