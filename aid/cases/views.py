"""Case pages: the list, opening a case, one case and what its team does on it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from aid import errors
from aid.auth.models import User
from aid.cases import bp, labels, legal, milestones, service
from aid.cases.forms import CaseForm, LinkLegalForm, MemberForm, MilestoneForm, NoteForm
from aid.cases.models import Case, CaseState
from aid.extensions import db
from aid.forms import ConfirmForm
from aid.hotline.models import HelpRequest
from aid.network.models import Area
from aid.security import access, audit
from aid.security.access import Level
from aid.security.numbers import bounded_int
from aid.shifts.models import ShiftReport
from aid.timeutil import from_local, utcnow
from aid.volunteers.choices import LANGUAGE_LABELS


def _me() -> User:
    return current_user._get_current_object()


def _labels() -> dict[str, Any]:
    return {"need_labels": labels.NEED_LABELS, "milestone_labels": labels.MILESTONE_LABELS,
            "legal_kind_labels": labels.LEGAL_KIND_LABELS, "state_labels": labels.STATE_LABELS,
            "answer_labels": labels.ANSWER_LABELS, "event_labels": labels.EVENT_LABELS,
            "language_labels": LANGUAGE_LABELS}


def _data(form: CaseForm) -> service.CaseData:
    return service.CaseData(contact_name=form.contact_name.data or "",
                            contact_phone=form.contact_phone.data or "",
                            language=form.language.data, area_id=form.area.data,
                            needs=list(form.needs.data or []))


@bp.route("/cases")
@access.rule(Level.VETTED)  # a volunteer sees only the cases whose team they are on
def index() -> ResponseReturnValue:
    state = request.args.get("state", CaseState.OPEN)
    found = service.cases_for(_me(), state)
    areas = {a.id: a.name for a in db.session.scalars(db.select(Area))}
    return render_template("cases/list.html", cases=found, state=state, areas=areas,
                           staff=service.is_staff(_me()), **_labels())


@bp.route("/cases/new", methods=["GET", "POST"])
@access.rule(Level.COORDINATOR)
def new() -> ResponseReturnValue:
    """A new case; `?request=`, `?report=` or `?shift=` (a shift whose after-action report
    says the person was detained) links it to where it came from and fills in what it can."""
    args = request.args
    source = service.source_for(bounded_int(args.get("request", "")),
                                bounded_int(args.get("report", "")),
                                bounded_int(args.get("shift", "")))
    form = CaseForm()
    if request.method == "GET":
        form.area.data = source.area_id
        form.language.data = source.language or form.language.default
        form.contact_name.data, form.contact_phone.data = source.contact_name, source.contact_phone
        if source.shift_report_id:
            form.needs.data = ["lawyer", "bond"]
    if form.validate_on_submit():
        case = service.create_case(_data(form), _me(), source)
        flash(_("Case opened. Add the team and the dates next."), "success")
        return redirect(url_for("cases.detail", case_id=case.id))
    return render_template("cases/form.html", form=form, case=None, source=_source_view(source),
                           **_labels()), 400 if request.method == "POST" else 200


def _source_view(source: service.Source) -> dict[str, Any]:
    req = db.session.get(HelpRequest, source.request_id) if source.request_id else None
    report = (db.session.get(ShiftReport, source.shift_report_id)
              if source.shift_report_id else None)
    return {"request": req, "alert_report_id": source.alert_report_id,
            "shift_id": report.shift_id if report else None,
            "args": {k: v for k, v in request.args.items() if k in ("request", "report", "shift")}}


def _page(case: Case, status: int = 200, viewed: bool = False,
          **forms: Any) -> ResponseReturnValue:
    """The case's page; shown again with a form's errors after a refused post (audited as a
    view too, since it shows the case)."""
    me = _me()
    staff = service.is_staff(me)
    if not viewed:
        audit.viewed("case", case.id, "staff" if staff else "team")
    member_form = forms.pop("member", None) or MemberForm(formdata=None)
    member_form.volunteer.choices = [(u.id, u.display_name) for u in service.candidates(case)]
    link_form = forms.pop("link", None) or LinkLegalForm(formdata=None)
    link_form.entry.choices = [(e.id, f"{e.name} · {labels.LEGAL_KIND_LABELS[e.kind]}")
                               for e in legal.entries()]
    return render_template(
        "cases/detail.html", case=case, staff=staff, me=me,
        area=db.session.get(Area, case.area_id) if case.area_id else None,
        request_code=_request_code(case), shift_report=service.shift_report_of(case),
        team=service.team(case), milestones=milestones.milestones(case),
        timeline=service.timeline(case), linked=legal.linked(case),
        suggestions=legal.suggestions(case) if staff else [],
        wants_legal=legal.wants_legal(case), now=utcnow(),
        note_form=forms.pop("note", None) or NoteForm(formdata=None),
        milestone_form=forms.pop("milestone", None) or MilestoneForm(formdata=None),
        member_form=member_form, link_form=link_form, **_labels()), status


def _request_code(case: Case) -> str | None:
    req = db.session.get(HelpRequest, case.request_id) if case.request_id else None
    return req.code if req else None


def _case(case_id: int) -> Case:
    """The case for an action on it: refused (403) to anyone off its team."""
    case = service.get_case(case_id)
    service.check_open(case, _me())
    return case


@bp.route("/cases/<int:case_id>")
@access.rule(Level.VETTED)  # need-to-know: the team, coordinators and admins (the service)
def detail(case_id: int) -> ResponseReturnValue:
    case = service.open_case(case_id, _me())  # audits the opening, or the refusal (403)
    return _page(case, viewed=True)


@bp.route("/cases/<int:case_id>/edit", methods=["GET", "POST"])
@access.rule(Level.COORDINATOR)
def edit(case_id: int) -> ResponseReturnValue:
    case = _case(case_id)
    form = CaseForm(obj=case if request.method == "GET" else None)
    if request.method == "GET":
        audit.viewed("case", case.id, "edit")
        form.area.data, form.needs.data = case.area_id, case.need_list
    if form.validate_on_submit():
        service.update_case(case, _data(form), _me())
        flash(_("Case saved."), "success")
        return redirect(url_for("cases.detail", case_id=case.id))
    return render_template("cases/form.html", form=form, case=case, source=None,
                           **_labels()), 400 if request.method == "POST" else 200


@bp.route("/cases/<int:case_id>/notes", methods=["POST"])
@access.rule(Level.VETTED)  # the case's team
@errors.back_to("cases.detail")
def add_note(case_id: int) -> ResponseReturnValue:
    case = _case(case_id)
    form = NoteForm()
    if not form.validate_on_submit():
        return _page(case, 400, note=form)
    service.add_note(case, _me(), form.body.data or "")
    flash(_("Note added."), "success")
    return redirect(url_for("cases.detail", case_id=case.id))


@bp.route("/cases/<int:case_id>/milestones", methods=["POST"])
@access.rule(Level.COORDINATOR)
@errors.back_to("cases.detail")
def add_milestone(case_id: int) -> ResponseReturnValue:
    case = _case(case_id)
    form = MilestoneForm()
    if not form.validate_on_submit():
        return _page(case, 400, milestone=form)
    day, time = form.day.data, form.time.data
    if day is None or time is None:  # a validated form has both
        raise errors.Invalid("no date", message=_("Give the date and the time."))
    at = from_local(datetime.combine(day, time))
    row = milestones.add_milestone(case, _me(), form.kind.data, at, form.place.data or "",
                                   remind=form.remind.data, draft_shift=form.draft_shift.data)
    flash(_("Date added."), "success")
    if row.shift_id:
        flash(_("A draft accompaniment shift was made for it: open it once the details are "
                "confirmed."), "info")
    return redirect(url_for("cases.detail", case_id=case.id))


@bp.route("/cases/<int:case_id>/milestones/<int:milestone_id>/delete", methods=["POST"])
@access.rule(Level.COORDINATOR)
@errors.back_to("cases.detail")
def delete_milestone(case_id: int, milestone_id: int) -> ResponseReturnValue:
    case = _confirmed(case_id)
    milestones.delete_milestone(case, milestone_id, _me())
    flash(_("Date removed."), "success")
    return redirect(url_for("cases.detail", case_id=case.id))


def _confirmed(case_id: int) -> Case:
    if not ConfirmForm().validate_on_submit():
        abort(400)
    return _case(case_id)


@bp.route("/cases/<int:case_id>/team", methods=["POST"])
@access.rule(Level.COORDINATOR)
@errors.back_to("cases.detail")
def add_member(case_id: int) -> ResponseReturnValue:
    case = _case(case_id)
    form = MemberForm()
    form.volunteer.choices = [(u.id, u.display_name) for u in service.candidates(case)]
    if not form.validate_on_submit():
        return _page(case, 400, member=form)
    person = service.add_member(case, form.volunteer.data, _me())
    flash(_("%(name)s joined the team.", name=person.display_name), "success")
    return redirect(url_for("cases.detail", case_id=case.id))


@bp.route("/cases/<int:case_id>/team/<int:user_id>/remove", methods=["POST"])
@access.rule(Level.COORDINATOR)
@errors.back_to("cases.detail")
def remove_member(case_id: int, user_id: int) -> ResponseReturnValue:
    case = _confirmed(case_id)
    service.remove_member(case, user_id, _me())
    flash(_("Removed from the team."), "success")
    return redirect(url_for("cases.detail", case_id=case.id))


@bp.route("/cases/<int:case_id>/legal", methods=["POST"])
@access.rule(Level.COORDINATOR)
@errors.back_to("cases.detail")
def link_legal(case_id: int) -> ResponseReturnValue:
    case = _case(case_id)
    form = LinkLegalForm()
    form.entry.choices = [(e.id, e.name) for e in legal.entries()]
    if not form.validate_on_submit():
        return _page(case, 400, link=form)
    legal.link(case, form.entry.data, _me())
    flash(_("Linked to the case."), "success")
    return redirect(url_for("cases.detail", case_id=case.id))


@bp.route("/cases/<int:case_id>/legal/<int:entry_id>/remove", methods=["POST"])
@access.rule(Level.COORDINATOR)
@errors.back_to("cases.detail")
def unlink_legal(case_id: int, entry_id: int) -> ResponseReturnValue:
    case = _confirmed(case_id)
    legal.unlink(case, entry_id, _me())
    flash(_("Removed from the case."), "success")
    return redirect(url_for("cases.detail", case_id=case.id))


@bp.route("/cases/<int:case_id>/close", methods=["POST"])
@access.rule(Level.COORDINATOR)
@errors.back_to("cases.detail")
def close(case_id: int) -> ResponseReturnValue:
    case = _confirmed(case_id)
    service.close_case(case, _me())
    flash(_("Case closed. It is deleted after the retention period."), "success")
    return redirect(url_for("cases.detail", case_id=case.id))


@bp.route("/cases/<int:case_id>/reopen", methods=["POST"])
@access.rule(Level.COORDINATOR)
@errors.back_to("cases.detail")
def reopen(case_id: int) -> ResponseReturnValue:
    case = _confirmed(case_id)
    service.reopen_case(case, _me())
    flash(_("Case reopened."), "success")
    return redirect(url_for("cases.detail", case_id=case.id))


