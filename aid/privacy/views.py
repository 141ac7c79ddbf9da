"""Privacy pages: retention settings, the panic wipe, audit views, people's own data."""

from __future__ import annotations

import json
from datetime import timedelta

from flask import (
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, logout_user
from sqlalchemy import func, select

from aid.admin.service import all_areas
from aid.auth.forms import ConfirmForm
from aid.auth.models import User
from aid.extensions import db, limiter
from aid.pagination import paginate
from aid.privacy import bp, owndata, service, wipe
from aid.privacy.forms import (
    RETENTION_LABELS,
    PasswordCheckForm,
    RetentionForm,
    SmsCodeForm,
    WipeForm,
    WithdrawForm,
)
from aid.privacy.models import RETENTION_DEFAULTS
from aid.security import audit, passwords
from aid.security.audit import AuditEvent
from aid.timeutil import utcnow

WITHDRAW_PENDING = "withdraw_code"
CODE_LIMIT = "10 per minute;40 per hour"
FORM_LIMIT = "5 per minute;30 per hour"


# -- admin: retention ------------------------------------------------------------------------

@bp.route("/admin/retention", methods=["GET", "POST"])
def retention() -> ResponseReturnValue:
    row = service.current_retention()
    form = RetentionForm(obj=row if request.method == "GET" else None)
    if form.validate_on_submit():
        service.save_retention({k: getattr(form, k).data for k in RETENTION_DEFAULTS})
        flash(_("Retention periods saved. The nightly purge uses them from now on."), "success")
        return redirect(url_for("privacy.retention"))
    due = service.purge_all(dry_run=True)
    return render_template("privacy/retention.html", form=form, due=due,
                           kinds=list(RETENTION_DEFAULTS), labels=RETENTION_LABELS), \
        400 if form.errors else 200


# -- admin: panic wipe -----------------------------------------------------------------------

def _second_factor_ok(user: User, code: str) -> bool:
    from aid.auth.service import step_up

    return step_up(user, code)


@bp.route("/admin/wipe", methods=["GET", "POST"])
@limiter.limit("5 per minute", methods=["POST"])
def wipe_page() -> ResponseReturnValue:
    form = WipeForm()
    form.area.choices = [(0, _("Everything: every person's data in every area"))] + [
        (a.id, _("Only the area %(name)s", name=a.name)) for a in all_areas()]
    if form.validate_on_submit():
        user = db.session.get(User, current_user.id)
        if form.phrase.data.strip().upper() not in ("ERASE", "BORRAR"):
            form.phrase.errors.append(_("Type the word exactly as shown."))
        elif not passwords.verify_password(user.password_hash, form.password.data):
            form.password.errors.append(_("That password is not right."))
            audit.record("privacy.wipe_refused", "user", user.id, "password")
            db.session.commit()
        elif not _second_factor_ok(user, form.code.data):
            form.code.errors.append(_("That code is not right, or was already used."))
            audit.record("privacy.wipe_refused", "user", user.id, "code")
            db.session.commit()
        else:
            if form.area.data:
                counts = wipe.wipe_area(form.area.data, keep_user_id=user.id)
            else:
                counts = wipe.wipe_all(keep_user_id=user.id)
            flash(_("Erased: %(n)d records. Only the counts below remain.",
                    n=sum(counts.values())), "success")
            return redirect(url_for("privacy.wipe_page"))
    return render_template("privacy/wipe.html", form=form, history=wipe.history()), \
        400 if form.errors else 200


# -- admin: audit views ----------------------------------------------------------------------

@bp.route("/admin/audit/unusual")
def audit_unusual() -> ResponseReturnValue:
    """The last 7 days: who opened more sensitive records than the threshold."""
    since = utcnow() - timedelta(days=7)
    threshold = current_app.config["AUDIT_UNUSUAL_VIEWS"]
    rows = db.session.execute(
        select(AuditEvent.actor_id, func.count(AuditEvent.id),
               func.count(func.distinct(AuditEvent.target_id)))
        .where(AuditEvent.at >= since, AuditEvent.action.like("%.viewed"),
               AuditEvent.actor_id.is_not(None))
        .group_by(AuditEvent.actor_id).having(func.count(AuditEvent.id) > threshold)
        .order_by(func.count(AuditEvent.id).desc())).all()
    people = {u.id: u for u in db.session.scalars(
        select(User).where(User.id.in_([r[0] for r in rows])))}
    audit.record("audit.summary_viewed", None, None)
    db.session.commit()
    return render_template("privacy/audit_unusual.html", rows=rows, people=people,
                           threshold=threshold, since=since)


def audit_filters() -> tuple[object, dict[str, str]]:
    """The audit list's query with the filters in the address (action, person, record)."""
    query = select(AuditEvent).order_by(AuditEvent.id.desc())
    args = {k: request.args.get(k, "").strip()[:64] for k in ("action", "actor", "type", "id")}
    if args["action"]:
        query = query.where(AuditEvent.action.startswith(args["action"]))
    if args["actor"].isdigit():
        query = query.where(AuditEvent.actor_id == int(args["actor"]))
    if args["type"]:
        query = query.where(AuditEvent.target_type == args["type"])
    if args["id"].isdigit():
        query = query.where(AuditEvent.target_id == int(args["id"]))
    return query, args


def audit_page() -> ResponseReturnValue:
    query, args = audit_filters()
    page = paginate(query)
    actors = {u.id: u for u in db.session.scalars(
        select(User).where(User.id.in_({e.actor_id for e in page.items if e.actor_id})))}
    return render_template("admin/audit.html", page=page, actors=actors, args=args,
                           action=args["action"])


# -- accounts: own data ----------------------------------------------------------------------

@bp.route("/my/data", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"])
def my_data() -> ResponseReturnValue:
    form = PasswordCheckForm()
    user = db.session.get(User, current_user.id)
    blocked = owndata.last_admin(user)
    if form.validate_on_submit() and not blocked:
        if not passwords.verify_password(user.password_hash, form.password.data):
            form.password.errors.append(_("That password is not right."))
        else:
            owndata.delete_account(user)
            logout_user()
            session.clear()
            flash(_("Your account and what you wrote are deleted. Thank you for your work."),
                  "success")
            return redirect(url_for("core.home"))
    return render_template("privacy/my_data.html", form=form, blocked=blocked), \
        400 if form.errors else 200


@bp.route("/my/data.json")
def my_data_download() -> ResponseReturnValue:
    user = db.session.get(User, current_user.id)
    return _json_download(owndata.export_user(user), "my-data.json")


def _json_download(data: dict, name: str) -> Response:
    body = json.dumps(data, ensure_ascii=False, indent=2)
    return Response(body, mimetype="application/json", headers={
        "Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"})


# -- alert subscribers -----------------------------------------------------------------------

@bp.route("/alerts/manage/data")
@limiter.limit(CODE_LIMIT)
def subscriber_data() -> ResponseReturnValue:
    from aid.sms.subscription_views import _managed

    sub = _managed()
    if sub is None:
        flash(_("Please confirm your number again."), "warning")
        return redirect(url_for("subscriptions.manage"))
    return _json_download(owndata.export_subscriber(sub), "my-alerts-data.json")


@bp.route("/alerts/manage/delete", methods=["POST"])
@limiter.limit(CODE_LIMIT)
def subscriber_delete() -> ResponseReturnValue:
    from aid.sms.subscription_views import MANAGING, _managed

    sub = _managed()
    if sub is None or not ConfirmForm().validate_on_submit():
        return redirect(url_for("subscriptions.manage"))
    owndata.delete_subscriber(sub)
    session.pop(MANAGING, None)
    flash(_("Your number and everything we held with it are deleted."), "success")
    return redirect(url_for("core.home"))


# -- requesters: withdraw a request ----------------------------------------------------------

@bp.route("/help/withdraw", methods=["GET", "POST"])
@limiter.limit(FORM_LIMIT, methods=["POST"])
def withdraw() -> ResponseReturnValue:
    form = WithdrawForm()
    if form.validate_on_submit():
        # The same next page whether or not code and phone matched: the form must not tell a
        # stranger which reference codes exist or whose phone they belong to.
        session[WITHDRAW_PENDING] = owndata.start_withdrawal(form.code.data, form.phone.data)
        return redirect(url_for("privacy.withdraw_confirm"))
    return render_template("privacy/withdraw.html", form=form), 400 if form.errors else 200


@bp.route("/help/withdraw/confirm", methods=["GET", "POST"])
@limiter.limit(CODE_LIMIT, methods=["POST"])
def withdraw_confirm() -> ResponseReturnValue:
    from aid.sms.subscriptions import CodeCheck, check_code

    if WITHDRAW_PENDING not in session:
        return redirect(url_for("privacy.withdraw"))
    form = SmsCodeForm()
    if form.validate_on_submit():
        result, row = check_code(session.get(WITHDRAW_PENDING), owndata.WITHDRAW_PURPOSE,
                                 form.code.data)
        if result is CodeCheck.OK and row is not None and row.choices.isdigit():
            session.pop(WITHDRAW_PENDING, None)
            owndata.withdraw_request(int(row.choices))
            return render_template("privacy/withdrawn.html")
        if result is CodeCheck.WRONG:
            form.code.errors.append(_("That code is not right. Check the text and try again."))
        else:
            form.code.errors.append(_("This code has expired or was tried too many times. "
                                      "Please start again."))
    return render_template("privacy/withdraw_confirm.html", form=form), \
        400 if form.errors else 200
