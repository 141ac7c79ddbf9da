"""Public pages (ask for help, check status) and the volunteer's own requests."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from aid import errors
from aid.extensions import db, limiter
from aid.forms import ConfirmForm
from aid.hotline import bp, notices, service
from aid.hotline.forms import (
    CATEGORY_LABELS,
    CONTACT_LABELS,
    PUBLIC_STATE_LABELS,
    STATE_LABELS,
    URGENCY_LABELS,
    HelpForm,
    NoteForm,
    ReplyForm,
    StatusLookupForm,
)
from aid.hotline.models import URGENCY_RANK, VOLUNTEER_TRANSITIONS, HelpRequest, State
from aid.hotline.queries import my_requests_query, open_for_volunteer
from aid.network.models import Area
from aid.pagination import paginate
from aid.sections import Values
from aid.security import access, audit
from aid.security.access import Level
from aid.timeutil import utcnow
from aid.volunteers import my_page


@bp.context_processor
def _labels() -> dict[str, Any]:
    return {"category_labels": CATEGORY_LABELS, "state_labels": STATE_LABELS,
            "contact_labels": CONTACT_LABELS,
            "urgency_labels": {URGENCY_RANK[k]: v for k, v in URGENCY_LABELS.items()},
            "public_state_labels": PUBLIC_STATE_LABELS, "is_stale": service.is_stale,
            "need_snippet": service.need_snippet}


@bp.app_template_filter("age")
def age(when: datetime) -> str:
    minutes = max(0, int((utcnow() - when).total_seconds() // 60))
    if minutes < 60:
        return _("%(n)d min", n=minutes)
    if minutes < 48 * 60:
        return _("%(n)d h", n=minutes // 60)
    return _("%(n)d days", n=minutes // (24 * 60))


def _hotline_limit() -> str:
    return current_app.config["HOTLINE_LIMIT"]


def _status_limit() -> str:
    return current_app.config["HOTLINE_STATUS_LIMIT"]


def intake_from(form: HelpForm) -> service.Intake:
    return service.Intake(
        category=form.category.data, urgency=form.urgency.data, area_id=form.area_id,
        language=form.language.data, contact_method=form.contact_method.data,
        details=form.details.data or "", name=form.name.data or "", phone=form.phone.data or "",
        consent=bool(form.consent.data))


def new_help_form(by_phone: bool = False) -> HelpForm:
    form = HelpForm(by_phone=by_phone)
    if request.method == "GET":
        locale = str(get_locale())
        offered = {value for value, *_rest in form.language.iter_choices()}
        form.language.data = locale if locale in offered else None
    return form


# -- public -------------------------------------------------------------------------------

@bp.route("/help", methods=["GET", "POST"])
@limiter.limit(_hotline_limit, methods=["POST"])
@access.rule(Level.PUBLIC)
def ask() -> ResponseReturnValue:
    form = new_help_form()
    if form.validate_on_submit():
        try:
            req, token = service.create_request(intake_from(form), within_share=True)
        except service.QueueFull:
            # Everything typed stays on the page; the hotline is the way in meanwhile.
            form.form_errors.append(_(
                "We are receiving a very large number of requests right now and cannot take "
                "more through the website this hour. Please call or text the hotline instead; "
                "what you wrote is still below."))
            return render_template("hotline/ask.html", form=form), 429
        notices.code_to_requester(req)
        flash(_("We received your request. Keep your code: %(code)s", code=req.code), "success")
        # A redirect: refreshing the next page shows the status, it does not ask again.
        return redirect(url_for("hotline.private_status", token=token))
    status = 400 if form.is_submitted() else 200
    return render_template("hotline/ask.html", form=form), status


@bp.route("/help/s/<token>")
@access.rule(Level.PUBLIC)  # guarded by an unguessable token
def private_status(token: str) -> ResponseReturnValue:
    req = service.find_by_token(token)
    if req is None:
        return render_template("hotline/status.html", form=StatusLookupForm(),
                               unknown=True), 404
    return render_template("hotline/private_status.html", req=req,
                           state=service.public_state(req),
                           link=url_for("hotline.private_status", token=token, _external=True))


@bp.route("/help/status", methods=["GET", "POST"])
@limiter.limit(_status_limit, methods=["POST"])
@access.rule(Level.PUBLIC)  # status only, rate-limited
def status_lookup() -> ResponseReturnValue:
    """Status only, never details: a code read out over a phone may be overheard."""
    form = StatusLookupForm()
    if form.validate_on_submit():
        req = service.find_by_code(form.code.data)
        if req is not None:
            return render_template("hotline/status.html", form=form, req=req,
                                   state=service.public_state(req))
        return render_template("hotline/status.html", form=form, unknown=True), 404
    return render_template("hotline/status.html", form=form), 400 if form.is_submitted() else 200


# -- the volunteer's own requests ---------------------------------------------------------

@my_page.sections.add("hotline/_my_requests.html", order=20)
def _assigned_to_me(me: my_page.Me) -> Values | None:
    if not me.vetted:
        return None
    return {"assigned": open_for_volunteer(me.user), "category_labels": CATEGORY_LABELS,
            "state_labels": STATE_LABELS}


@bp.route("/my/requests")
@access.rule(Level.VETTED)  # and only what they hold: service.for_volunteer
def my_requests() -> ResponseReturnValue:
    page = paginate(my_requests_query(current_user))
    return render_template("hotline/my_list.html", page=page)


def _my_page(req: HelpRequest, note: NoteForm | None = None, reply: ReplyForm | None = None,
             code: int = 200) -> ResponseReturnValue:
    events, people = service.timeline(req)
    return render_template(
        "hotline/my_detail.html", req=req, events=events, people=people,
        area=db.session.get(Area, req.area_id) if req.area_id else None,
        note_form=note or NoteForm(formdata=None), reply_form=reply or ReplyForm(formdata=None),
        next_states=VOLUNTEER_TRANSITIONS.get(req.state, ())), code


@bp.route("/my/requests/<int:request_id>")
@access.rule(Level.VETTED)
def my_detail(request_id: int) -> ResponseReturnValue:
    req = service.for_volunteer(request_id, current_user)
    audit.viewed("help_request", req.id)
    return _my_page(req)


@bp.route("/my/requests/<int:request_id>/note", methods=["POST"])
@access.rule(Level.VETTED)
def my_note(request_id: int) -> ResponseReturnValue:
    req = service.for_volunteer(request_id, current_user)
    form = NoteForm()
    if not form.validate_on_submit():
        return _my_page(req, note=form, code=400)
    service.add_note(req, current_user, form.body.data or "")
    flash(_("Note added."), "success")
    return redirect(url_for("hotline.my_detail", request_id=req.id))


@bp.route("/my/requests/<int:request_id>/progress", methods=["POST"])
@access.rule(Level.VETTED)
@errors.back_to("hotline.my_detail")
def my_progress(request_id: int) -> ResponseReturnValue:
    req = service.for_volunteer(request_id, current_user)
    wanted = request.form.get("status", "")
    if not ConfirmForm().validate_on_submit() or wanted not in {str(s) for s in State}:
        return _my_page(req, code=400)
    service.change_status(req, State(wanted), current_user)
    flash(_("Status changed to: %(status)s", status=STATE_LABELS[State(wanted)]), "success")
    return redirect(url_for("hotline.my_detail", request_id=req.id))


@bp.route("/my/requests/<int:request_id>/reply", methods=["POST"])
@access.rule(Level.VETTED)
def my_reply(request_id: int) -> ResponseReturnValue:
    req = service.for_volunteer(request_id, current_user)
    form = ReplyForm()
    if not form.validate_on_submit() or not req.phone or not req.is_open:
        return _my_page(req, reply=form, code=400)
    reply_flash(service.send_reply(req, form.message.data or "", current_user))
    return redirect(url_for("hotline.my_detail", request_id=req.id))


def reply_flash(status: str) -> None:
    """Say what became of a reply: an opted-out number is never texted."""
    if status == "suppressed":
        flash(_("Not sent: this number has opted out of texts. Reach the person another way."),
              "error")
    elif status == "failed":
        flash(_("The text could not be sent. Try again later."), "error")
    else:
        flash(_("Reply queued for SMS."), "success")
