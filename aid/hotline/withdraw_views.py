"""Withdraw a request: the reference code and the phone given, then the code texted to it."""

from __future__ import annotations

from flask import redirect, render_template, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from aid.extensions import limiter
from aid.forms import add_error
from aid.hotline import bp
from aid.hotline.forms import SmsCodeForm, WithdrawForm
from aid.hotline.withdraw import WITHDRAW_PURPOSE, start_withdrawal, withdraw_request
from aid.security import access, codes
from aid.security.access import Level
from aid.sms.subscriptions import CodeCheck, check_code

WITHDRAW_PENDING = "withdraw_code"
CODE_LIMIT = "10 per minute;40 per hour"
FORM_LIMIT = "5 per minute;30 per hour"


@bp.route("/help/withdraw", methods=["GET", "POST"])
@limiter.limit(FORM_LIMIT, methods=["POST"])
@access.rule(Level.PUBLIC)
def withdraw() -> ResponseReturnValue:
    form = WithdrawForm()
    if form.validate_on_submit():
        # The same next page whether or not code and phone matched: the form must not tell a
        # stranger which reference codes exist or whose phone they belong to.
        session[WITHDRAW_PENDING] = codes.ticket(
            start_withdrawal(form.code.data or "", form.phone.data or ""))
        return redirect(url_for("hotline.withdraw_confirm"))
    return render_template("hotline/withdraw.html", form=form), 400 if form.errors else 200


@bp.route("/help/withdraw/confirm", methods=["GET", "POST"])
@limiter.limit(CODE_LIMIT, methods=["POST"])
@access.rule(Level.PUBLIC)
def withdraw_confirm() -> ResponseReturnValue:
    if WITHDRAW_PENDING not in session:
        return redirect(url_for("hotline.withdraw"))
    form = SmsCodeForm()
    if form.validate_on_submit():
        result, row = check_code(codes.ticket_id(session.get(WITHDRAW_PENDING)),
                                 WITHDRAW_PURPOSE, form.code.data or "")
        if result is CodeCheck.OK and row is not None and row.choices.isdigit():
            session.pop(WITHDRAW_PENDING, None)
            withdraw_request(int(row.choices))
            return render_template("hotline/withdrawn.html")
        if result is CodeCheck.WRONG:
            add_error(form.code, _("That code is not right. Check the text and try again."))
        else:
            add_error(form.code, _("This code has expired or was tried too many times. "
                                   "Please start again."))
    return render_template("hotline/withdraw_confirm.html", form=form), \
        400 if form.errors else 200
