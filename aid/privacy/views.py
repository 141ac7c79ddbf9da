"""Privacy pages for admins: retention periods and the panic wipe.

A person's own-data pages live with the feature that knows the person (accounts in auth,
subscribers in sms, requesters in the hotline) and call `owndata`; this module, like the
rest of privacy, imports no feature.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from aid.extensions import db, limiter
from aid.forms import add_error
from aid.privacy import retention as settings
from aid.privacy import service, tasks, wipe
from aid.privacy.forms import RETENTION_LABELS, RetentionForm, WipeForm
from aid.privacy.models import RETENTION_DEFAULTS
from aid.security import access, audit, passwords, totp
from aid.security.access import Level

bp = Blueprint("privacy", __name__)
__all__ = ["bp", "tasks"]  # tasks: the nightly purge is registered when the pages are


# -- admin: retention ------------------------------------------------------------------------

@bp.route("/admin/retention", methods=["GET", "POST"])
@access.rule(Level.ADMIN)
def retention() -> ResponseReturnValue:
    row = settings.current_retention()
    form = RetentionForm(obj=row if request.method == "GET" else None)
    if form.validate_on_submit():
        settings.save_retention({k: getattr(form, k).data for k in RETENTION_DEFAULTS})
        flash(_("Retention periods saved. The nightly purge uses them from now on."), "success")
        return redirect(url_for("privacy.retention"))
    due = service.purge_all(dry_run=True)
    return render_template("privacy/retention.html", form=form, due=due,
                           kinds=list(RETENTION_DEFAULTS), labels=RETENTION_LABELS), \
        400 if form.errors else 200


# -- admin: panic wipe -----------------------------------------------------------------------

def _second_factor_ok(user: Any, code: str) -> bool:
    ok = totp.use_code(user, code)
    db.session.commit()
    return ok


@bp.route("/admin/wipe", methods=["GET", "POST"])
@limiter.limit("5 per minute", methods=["POST"])
@access.rule(Level.ADMIN)
def wipe_page() -> ResponseReturnValue:
    form = WipeForm()
    form.area.choices = [(0, _("Everything: every person's data in every area"))] + [
        (area_id, _("Only the area %(name)s", name=name)) for area_id, name in wipe.areas()]
    if form.validate_on_submit():
        user: Any = current_user._get_current_object()  # the account row, not the proxy
        if (form.phrase.data or "").strip().upper() not in ("ERASE", "BORRAR"):
            add_error(form.phrase, _("Type the word exactly as shown."))
        elif not passwords.verify_password(user.password_hash, form.password.data or ""):
            add_error(form.password, _("That password is not right."))
            audit.record("privacy.wipe_refused", "user", user.id, "password")
            db.session.commit()
        elif not _second_factor_ok(user, form.code.data or ""):
            add_error(form.code, _("That code is not right, or was already used."))
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
