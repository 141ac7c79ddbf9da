"""Public pages: /alerts/subscribe (double opt-in by SMS code) and /alerts/manage.

Both answer the same way whether or not a number is subscribed or reachable, so the forms
never tell a stranger anything about a number. The code's id and the manage permission live
in the (signed, expiring) session, never in a URL.
"""

from __future__ import annotations

import time

from flask import flash, redirect, render_template, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from aid.extensions import db, limiter
from aid.forms import ConfirmForm, add_error
from aid.privacy import owndata, registry
from aid.security import access, codes
from aid.security.access import Level
from aid.sms import subscriptions_bp as bp
from aid.sms.forms import ChoicesForm, CodeForm, PhoneForm, SubscribeForm
from aid.sms.models import Subscriber, SubscriberState, VerificationCode
from aid.sms.subscriptions import (
    Choices,
    CodeCheck,
    check_code,
    confirm_from_code,
    find_subscriber,
    leave,
    start_verification,
    update_choices,
)

PENDING = "sms_code"
MANAGING = "sms_manage"
MANAGE_SECONDS = 15 * 60
FORM_LIMIT = "5 per minute;30 per hour"
CODE_LIMIT = "10 per minute;40 per hour"


def _choices(form: ChoicesForm) -> Choices:
    return Choices(area_ids=list(form.areas.data or []), topics=list(form.topics.data or []),
                   language=form.language.data)


@bp.route("/subscribe", methods=["GET", "POST"])
@limiter.limit(FORM_LIMIT, methods=["POST"])
@access.rule(Level.PUBLIC)
def subscribe() -> ResponseReturnValue:
    form = SubscribeForm()
    if not form.is_submitted():
        form.topics.data = [key for key, *_rest in form.topics.iter_choices()]
        form.language.data = form.language.data or _current_language(form)
    if form.validate_on_submit():
        code_id = start_verification(form.phone.data or "", "subscribe", _choices(form))
        session[PENDING] = {"id": codes.ticket(code_id), "purpose": "subscribe"}
        return redirect(url_for("subscriptions.subscribe_confirm"))
    return render_template("sms/subscriptions/subscribe.html", form=form)


def _current_language(form: ChoicesForm) -> str:
    from flask_babel import get_locale

    codes = [code for code, *_rest in form.language.iter_choices()]
    locale = str(get_locale())
    return locale if locale in codes else (codes[0] if codes else "en")


def _check(purpose: str, form: CodeForm) -> VerificationCode | None:
    """The confirmed code's row, or None with the reason added to the form's errors."""
    pending = session.get(PENDING) or {}
    result, row = check_code(codes.ticket_id(pending.get("id")), purpose, form.code.data or "")
    if result is CodeCheck.OK and row is not None:
        session.pop(PENDING, None)
        return row
    if result is CodeCheck.WRONG:
        add_error(form.code, _("That code is not right. Check the text and try again."))
    else:
        add_error(form.code, _("This code has expired or was tried too many times. "
                               "Please start again."))
    return None


@bp.route("/subscribe/confirm", methods=["GET", "POST"])
@limiter.limit(CODE_LIMIT, methods=["POST"])
@access.rule(Level.PUBLIC)
def subscribe_confirm() -> ResponseReturnValue:
    if (session.get(PENDING) or {}).get("purpose") != "subscribe":
        return redirect(url_for("subscriptions.subscribe"))
    form = CodeForm()
    row = _check("subscribe", form) if form.validate_on_submit() else None
    if row is not None:
        sub = confirm_from_code(row)
        return render_template("sms/subscriptions/subscribed.html", sub=sub)
    return render_template("sms/subscriptions/enter_code.html", form=form,
                           restart=url_for("subscriptions.subscribe")), \
        400 if form.errors else 200


@bp.route("/manage", methods=["GET", "POST"])
@limiter.limit(FORM_LIMIT, methods=["POST"])
@access.rule(Level.PUBLIC)
def manage() -> ResponseReturnValue:
    form = PhoneForm()
    if form.validate_on_submit():
        code_id = start_verification(form.phone.data or "", "manage")
        session[PENDING] = {"id": codes.ticket(code_id), "purpose": "manage"}
        session.pop(MANAGING, None)
        return redirect(url_for("subscriptions.manage_confirm"))
    return render_template("sms/subscriptions/manage.html", form=form)


@bp.route("/manage/confirm", methods=["GET", "POST"])
@limiter.limit(CODE_LIMIT, methods=["POST"])
@access.rule(Level.PUBLIC)
def manage_confirm() -> ResponseReturnValue:
    if (session.get(PENDING) or {}).get("purpose") != "manage":
        return redirect(url_for("subscriptions.manage"))
    form = CodeForm()
    row = _check("manage", form) if form.validate_on_submit() else None
    if row is not None:
        sub = find_subscriber(row.phone)
        if sub is not None:
            session[MANAGING] = {"sid": sub.id, "until": time.time() + MANAGE_SECONDS}
            return redirect(url_for("subscriptions.manage_choices"))
        return redirect(url_for("subscriptions.manage"))
    return render_template("sms/subscriptions/enter_code.html", form=form,
                           restart=url_for("subscriptions.manage")), \
        400 if form.errors else 200


def _managed() -> Subscriber | None:
    grant = session.get(MANAGING) or {}
    if not grant or grant.get("until", 0) < time.time():
        session.pop(MANAGING, None)
        return None
    sub = db.session.get(Subscriber, grant.get("sid"))
    return sub if sub is not None and sub.status == SubscriberState.ACTIVE else None


@bp.route("/manage/choices", methods=["GET", "POST"])
@limiter.limit(CODE_LIMIT, methods=["POST"])
@access.rule(Level.PUBLIC)  # only with a confirmed code in the session
def manage_choices() -> ResponseReturnValue:
    sub = _managed()
    if sub is None:
        flash(_("Please confirm your number again."), "warning")
        return redirect(url_for("subscriptions.manage"))
    form = ChoicesForm()
    if not form.is_submitted():
        form.areas.data = [a.id for a in sub.areas]
        form.topics.data = sub.topics
        form.language.data = sub.language
    if form.validate_on_submit():
        update_choices(sub, _choices(form))
        flash(_("Your alert choices are saved."), "success")
        return redirect(url_for("subscriptions.manage_choices"))
    return render_template("sms/subscriptions/manage_choices.html", form=form), \
        400 if form.errors else 200


@bp.route("/manage/leave", methods=["POST"])
@limiter.limit(CODE_LIMIT)
@access.rule(Level.PUBLIC)
def manage_leave() -> ResponseReturnValue:
    sub = _managed()
    if sub is None or not ConfirmForm().validate_on_submit():
        return redirect(url_for("subscriptions.manage"))
    leave(sub)
    session.pop(MANAGING, None)
    flash(_("You will get no more alerts. You can subscribe again at any time."), "success")
    return redirect(url_for("core.home"))


@bp.route("/manage/data")
@limiter.limit(CODE_LIMIT)
@access.rule(Level.PUBLIC)
def manage_data() -> ResponseReturnValue:
    sub = _managed()
    if sub is None:
        flash(_("Please confirm your number again."), "warning")
        return redirect(url_for("subscriptions.manage"))
    return owndata.download(owndata.export(registry.SUBSCRIBER, sub), "my-alerts-data.json")


@bp.route("/manage/delete", methods=["POST"])
@limiter.limit(CODE_LIMIT)
@access.rule(Level.PUBLIC)
def manage_delete() -> ResponseReturnValue:
    sub = _managed()
    if sub is None or not ConfirmForm().validate_on_submit():
        return redirect(url_for("subscriptions.manage"))
    owndata.forget(registry.SUBSCRIBER, sub)
    session.pop(MANAGING, None)
    flash(_("Your number and everything we held with it are deleted."), "success")
    return redirect(url_for("core.home"))
