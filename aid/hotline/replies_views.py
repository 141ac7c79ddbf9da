"""The coordinators' saved replies: a list per language, add, change, delete."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from aid import errors
from aid.forms import ConfirmForm
from aid.hotline import bp, replies
from aid.hotline.forms import SavedReplyForm
from aid.network.service import current_settings
from aid.security import access
from aid.security.access import Level


def _languages() -> list[str]:
    return current_settings().language_list or ["en"]


@bp.route("/coordinator/replies", methods=["GET", "POST"])
@access.rule(Level.COORDINATOR)
@errors.back_to("hotline.saved_replies")
def saved_replies() -> ResponseReturnValue:
    form = SavedReplyForm()
    if form.validate_on_submit():
        replies.create(current_user, form.language.data or "", form.title.data or "",
                       form.body.data or "", _languages())
        flash(_("Saved reply added."), "success")
        return redirect(url_for("hotline.saved_replies"))
    rows = replies.all_replies()
    grouped = {code: [r for r in rows if r.language == code] for code in _languages()}
    return render_template("hotline/replies.html", form=form, grouped=grouped,
                           delete_form=ConfirmForm()), (
        400 if form.is_submitted() else 200)


@bp.route("/coordinator/replies/<int:reply_id>", methods=["GET", "POST"])
@access.rule(Level.COORDINATOR)
def edit_reply(reply_id: int) -> ResponseReturnValue:
    row = replies.get(reply_id)
    form = SavedReplyForm(obj=row)
    if form.validate_on_submit():
        replies.update(row, current_user, form.language.data or "", form.title.data or "",
                       form.body.data or "", _languages())
        flash(_("Saved reply changed."), "success")
        return redirect(url_for("hotline.saved_replies"))
    return render_template("hotline/reply_edit.html", form=form, row=row), (
        400 if form.is_submitted() else 200)


@bp.route("/coordinator/replies/<int:reply_id>/delete", methods=["POST"])
@access.rule(Level.COORDINATOR)
def delete_reply(reply_id: int) -> ResponseReturnValue:
    row = replies.get(reply_id)
    if ConfirmForm().validate_on_submit():
        replies.delete(row, current_user)
        flash(_("Saved reply deleted."), "success")
    return redirect(url_for("hotline.saved_replies"))
