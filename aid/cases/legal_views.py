"""The legal-support directory's pages, kept by coordinators."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from aid.cases import bp, legal
from aid.cases.forms import LegalForm
from aid.cases.labels import LEGAL_KIND_LABELS, NEED_LABELS
from aid.cases.models import LegalContact
from aid.forms import ConfirmForm
from aid.security import access
from aid.security.access import Level
from aid.volunteers.choices import LANGUAGE_LABELS


def _data(form: LegalForm) -> legal.ContactData:
    return legal.ContactData(kind=form.kind.data, name=form.name.data or "",
                             reach=form.reach.data or "", languages=list(form.languages.data or []),
                             takes=list(form.takes.data or []), notes=form.notes.data or "",
                             active=bool(form.active.data))


def _labels() -> dict:
    return {"legal_kind_labels": LEGAL_KIND_LABELS, "need_labels": NEED_LABELS,
            "language_labels": LANGUAGE_LABELS}


@bp.route("/coordinator/legal")
@access.rule(Level.COORDINATOR)
def legal_list() -> ResponseReturnValue:
    return render_template("cases/legal_list.html", entries=legal.entries(include_inactive=True),
                           **_labels())


@bp.route("/coordinator/legal/new", methods=["GET", "POST"])
@access.rule(Level.COORDINATOR)
def legal_new() -> ResponseReturnValue:
    form = LegalForm()
    if form.validate_on_submit():
        legal.save_entry(None, _data(form), current_user._get_current_object())
        flash(_("Added to the directory."), "success")
        return redirect(url_for("cases.legal_list"))
    return render_template("cases/legal_form.html", form=form, entry=None,
                           **_labels()), 400 if request.method == "POST" else 200


@bp.route("/coordinator/legal/<int:entry_id>/edit", methods=["GET", "POST"])
@access.rule(Level.COORDINATOR)
def legal_edit(entry_id: int) -> ResponseReturnValue:
    entry: LegalContact = legal.get_entry(entry_id)
    form = LegalForm(obj=entry if request.method == "GET" else None)
    if request.method == "GET":
        form.languages.data, form.takes.data = entry.language_list, entry.take_list
    if form.validate_on_submit():
        legal.save_entry(entry, _data(form), current_user._get_current_object())
        flash(_("Directory entry saved."), "success")
        return redirect(url_for("cases.legal_list"))
    return render_template("cases/legal_form.html", form=form, entry=entry,
                           **_labels()), 400 if request.method == "POST" else 200


@bp.route("/coordinator/legal/<int:entry_id>/delete", methods=["POST"])
@access.rule(Level.COORDINATOR)
def legal_delete(entry_id: int) -> ResponseReturnValue:
    if not ConfirmForm().validate_on_submit():
        abort(400)
    legal.delete_entry(legal.get_entry(entry_id), current_user._get_current_object())
    flash(_("Removed from the directory."), "success")
    return redirect(url_for("cases.legal_list"))
