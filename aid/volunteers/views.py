"""Volunteer pages: sign-up, my page and profile, vouching, the coordinators' vetting list."""

from __future__ import annotations

from flask import (
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from aid import errors
from aid.auth import service as accounts
from aid.auth.models import Status
from aid.extensions import db, limiter
from aid.forms import ConfirmForm
from aid.network.service import current_settings
from aid.pagination import page_number
from aid.security import access, audit
from aid.security.access import Level
from aid.volunteers import bp, service
from aid.volunteers.choices import DAYS, LANGUAGE_LABELS, PARTS, SKILL_LABELS
from aid.volunteers.forms import AskVouchForm, ProfileForm, SignupForm, VouchForm
from aid.volunteers.my_page import Me, sections
from aid.volunteers.service import Decision


def _signup_limit() -> str:
    return current_app.config["SIGNUP_LIMIT"]


def _labels() -> dict:
    return {"days": DAYS, "parts": PARTS, "skill_labels": SKILL_LABELS,
            "language_labels": LANGUAGE_LABELS}


@bp.route("/volunteer/signup", methods=["GET", "POST"])
# Only sign-ups that went through count: a training where people share one Wi-Fi should not
# be stopped by someone's typo.
@limiter.limit(_signup_limit, methods=["POST"],
               deduct_when=lambda response: response.status_code in (302, 303))
@access.rule(Level.PUBLIC)
def signup() -> ResponseReturnValue:
    if current_user.is_authenticated:
        return redirect(url_for("volunteers.my_page"))
    form = SignupForm()
    if form.validate_on_submit():
        # The same answer whether or not the email already has an account (staff included):
        # the form must not tell a stranger who is on the team. A known email's account is
        # told at its next sign-in instead.
        try:
            service.sign_up(form.email.data or "", form.password.data or "", form.profile_data())
        except ValueError:
            accounts.note_signup_with_existing_email(form.email.data or "")
        flash(_("Thank you for signing up. Sign in with your email and password to see your "
                "vouch link; a coordinator will review your application."), "success")
        return redirect(url_for("auth.login"))
    status = 400 if request.method == "POST" else 200
    conduct = current_settings().conduct_for(str(get_locale()))
    return render_template("volunteers/signup.html", form=form, conduct=conduct,
                           **_labels()), status


@bp.route("/my")
@access.rule(Level.APPLIED)
def my_page() -> ResponseReturnValue:
    return _my_page(AskVouchForm(formdata=None))


@bp.route("/my/ask-vouch", methods=["POST"])
@limiter.limit("10 per day")  # each one is an email to a member
@access.rule(Level.APPLIED)
@errors.back_to("volunteers.my_page")
def ask_vouch() -> ResponseReturnValue:
    form = AskVouchForm()
    if not form.validate_on_submit():
        return _my_page(form, 400)
    me = current_user._get_current_object()
    service.request_vouch(me, form.email.data or "", me)  # the same answer whoever it was
    flash(_("If that address belongs to a vetted member, they have been asked to vouch "
            "for you."), "success")
    return redirect(url_for("volunteers.my_page"))


def _my_page(ask_form: AskVouchForm, code: int = 200) -> ResponseReturnValue:
    user = current_user._get_current_object()
    profile = service.profile_for(user)
    vouch_link = (url_for("volunteers.vouch", code=profile.vouch_code, _external=True)
                  if profile and user.status == Status.APPLIED else None)
    vouches = service.vouch_counts([user.id]).get(user.id, 0) if vouch_link else 0
    return render_template(
        "volunteers/my.html", profile=profile, vouch_link=vouch_link, vouches=vouches,
        vouches_needed=service.vouches_needed(), sections=sections.parts(Me(user, profile)),
        ask_form=ask_form, **_labels()), code


@bp.route("/my/profile", methods=["GET", "POST"])
@access.rule(Level.APPLIED)
def profile() -> ResponseReturnValue:
    user = current_user._get_current_object()
    row = service.profile_for(user)
    if row is None:
        abort(404)  # staff accounts have no volunteer profile
    form = ProfileForm(obj=row if request.method == "GET" else None)
    if request.method == "GET":
        form.display_name.data = user.display_name
        form.languages.data, form.skills.data = row.language_list, row.skill_list
        form.availability.data = row.availability_list
        form.areas.data = [a.id for a in row.areas]
    if form.validate_on_submit():
        service.update_profile(row, form.profile_data())
        flash(_("Your profile is saved."), "success")
        return redirect(url_for("volunteers.my_page"))
    status = 400 if request.method == "POST" else 200
    return render_template("volunteers/profile.html", form=form, **_labels()), status


# -- vouching ----------------------------------------------------------------------------

@bp.route("/volunteers/vouch/<code>", methods=["GET", "POST"])
@access.rule(Level.VETTED)
@errors.back_to("volunteers.vouch")
def vouch(code: str) -> ResponseReturnValue:
    row = service.profile_by_vouch_code(code)
    if row is None:
        abort(404)
    me = current_user._get_current_object()
    form = VouchForm()
    if form.validate_on_submit():
        service.vouch(row, me, form.note.data or "")  # a refusal is flashed: aid.errors
        flash(_("Thank you. Your vouch is recorded for the coordinators."), "success")
        return redirect(url_for("volunteers.vouch", code=code))
    return render_template("volunteers/vouch.html", applicant=row.user, form=form,
                           done=service.has_vouched(row.user_id, me.id))


@bp.route("/volunteers/vouch-request/<token>")
@access.rule(Level.VETTED)  # and only the member who was asked (service)
def vouch_request(token: str) -> ResponseReturnValue:
    row = service.vouch_request_for(token, current_user._get_current_object())
    if row is None:
        abort(404)
    return redirect(url_for("volunteers.vouch", code=row.vouch_code))


# -- coordinators ------------------------------------------------------------------------

DECISION_MESSAGES = {
    Decision.APPROVE: lambda: _("Approved: the volunteer is now vetted."),
    Decision.CONFIRM: lambda: _("Confirmed: the volunteer is now vetted."),
    Decision.SUSPEND: lambda: _("Suspended: every session has ended and their places are freed."),
    Decision.REINSTATE: lambda: _("Reinstated as a vetted volunteer."),
    Decision.OFFBOARD: lambda: _("Offboarded: access has ended and their places are freed."),
    Decision.ORIENTATION: lambda: _("Orientation recorded."),
    Decision.TRAINING: lambda: _("Training recorded."),
}
@bp.route("/coordinator/volunteers")
@access.rule(Level.COORDINATOR)
def applicants() -> ResponseReturnValue:
    status = request.args.get("status", "applied")
    if status not in service.LIST_STATUSES:
        status = "applied"
    # Recorded before the query: a commit afterwards would expire every row on the page.
    audit.record("volunteer.list_viewed", "user", None, f"{status}, page {page_number()}")
    db.session.commit()
    ready = status == "applied" and request.args.get("ready") == "1"
    page, counts = service.volunteers_page(status, ready=ready)
    return render_template("volunteers/applicants.html", page=page, counts=counts,
                           status=status, statuses=service.LIST_STATUSES, ready=ready,
                           needed=service.vouches_needed())


@bp.route("/coordinator/volunteers/<int:user_id>")
@access.rule(Level.COORDINATOR)
def volunteer_detail(user_id: int) -> ResponseReturnValue:
    row = service.profile_of_volunteer(user_id)
    if row is None:
        abort(404)
    audit.viewed("user", row.user_id, "volunteer profile")
    vouches = service.vouches_for(row.user_id)
    return render_template(
        "volunteers/detail.html", profile=row, user=row.user, vouches=vouches,
        valid=sum(1 for v in vouches if v.voucher.status == Status.VETTED),
        needed=service.vouches_needed(), Decision=Decision, ask_form=AskVouchForm(formdata=None),
        **_labels())


@bp.route("/coordinator/volunteers/<int:user_id>/ask-vouch", methods=["POST"])
@access.rule(Level.COORDINATOR)
@errors.back_to("volunteers.volunteer_detail")
def coordinator_ask_vouch(user_id: int) -> ResponseReturnValue:
    row = service.profile_of_volunteer(user_id)
    if row is None:
        abort(404)
    form = AskVouchForm()
    if not form.validate_on_submit():
        flash(_("Give the email address of a vetted member."), "error")
    elif service.request_vouch(row.user, form.email.data or "",
                               current_user._get_current_object()):
        flash(_("The member has been asked to vouch."), "success")
    else:
        flash(_("No vetted member who has not vouched yet has that address."), "error")
    return redirect(url_for("volunteers.volunteer_detail", user_id=user_id))


@bp.route("/coordinator/volunteers/<int:user_id>", methods=["POST"])
@access.rule(Level.COORDINATOR)
@errors.back_to("volunteers.volunteer_detail")
def decide(user_id: int) -> ResponseReturnValue:
    row = service.profile_of_volunteer(user_id)
    if row is None:
        abort(404)
    try:
        decision = Decision(request.form.get("decision", ""))
    except ValueError:
        abort(400)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    service.decide(row, decision)  # a refusal is flashed on the volunteer's page: aid.errors
    flash(DECISION_MESSAGES[decision](), "success")
    return redirect(url_for("volunteers.volunteer_detail", user_id=user_id))
