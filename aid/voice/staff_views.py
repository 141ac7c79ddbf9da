"""Staff pages of the voice hotline: the call log, blocked numbers, the line's settings, a
request's callback button and voicemail playback. No page shows a phone number."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import Response, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from aid.auth.models import User
from aid.errors import DomainError
from aid.extensions import db
from aid.forms import ConfirmForm
from aid.hotline.models import HelpRequest
from aid.pagination import keyset_paginate, page_number
from aid.security import access, audit
from aid.security.access import Level
from aid.timeutil import utcnow
from aid.voice import blocks, bp, callbacks, service, tasks
from aid.voice.forms import BlockCallForm, BlockNumberForm, RenewForm, VoiceSettingsForm
from aid.voice.labels import DIRECTION_LABELS, OUTCOME_LABELS
from aid.voice.models import Block, Direction, VoiceCall


@bp.app_context_processor
def _request_panel() -> dict[str, Any]:
    """`voice_panel(req)` for the hotline's request pages: voicemails and the callback."""

    def panel(req: HelpRequest) -> dict[str, Any]:
        if not current_user.is_authenticated:
            return {"voicemails": [], "can_call_back": False}
        return {"voicemails": service.voicemails_for(req.id),
                "can_call_back": callbacks.may_call_back(req, current_user)}

    return {"voice_panel": panel}


# -- the call log --------------------------------------------------------------------------

@bp.route("/coordinator/calls")
@access.rule(Level.COORDINATOR)
def call_log() -> ResponseReturnValue:
    outcome = request.args.get("outcome", "")[:16]
    # Recorded before the query: a commit afterwards would expire every row on the page,
    # and each would be read again, one statement a row.
    audit.record("voice_calls.viewed", "voice_call", None, f"page {page_number()}")
    db.session.commit()
    # Newest first by keyset links: a deep page walks the index from its key.
    page = keyset_paginate(service.log_query(outcome), (VoiceCall.started_at, VoiceCall.id))
    calls: list[VoiceCall] = page.items
    staff_ids = {c.staff_id for c in calls if c.staff_id}
    request_ids = {c.request_id for c in calls if c.request_id}
    people = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(staff_ids)))}
    codes: dict[int, str] = {row.id: row.code for row in db.session.execute(
        select(HelpRequest.id, HelpRequest.code).where(HelpRequest.id.in_(request_ids)))}
    return render_template(
        "voice/calls.html", page=page, people=people, codes=codes, outcome=outcome,
        outcome_labels=OUTCOME_LABELS, direction_labels=DIRECTION_LABELS,
        week=service.counts(utcnow() - timedelta(days=7)), block_form=BlockCallForm(),
        Direction=Direction)


@bp.route("/coordinator/calls/<int:call_id>/block", methods=["POST"])
@access.rule(Level.COORDINATOR)
def block_call(call_id: int) -> ResponseReturnValue:
    call = db.get_or_404(VoiceCall, call_id)
    form = BlockCallForm()
    if not form.validate_on_submit():
        flash(_("That change is not possible now."), "error")
        return redirect(url_for("voice.call_log"))
    try:
        blocks.block_caller(call, current_user, form.days.data)
    except DomainError as exc:
        flash(exc.reason, "error")
    else:
        flash(_("The caller is blocked. Their calls are refused and their texts ignored."),
              "success")
    return redirect(url_for("voice.call_log"))


# -- blocked numbers ----------------------------------------------------------------------

def _blocks_page(form: BlockNumberForm, code: int = 200) -> ResponseReturnValue:
    rows = blocks.current_blocks()
    ids = {b.created_by_id for b in rows if b.created_by_id}
    people = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(ids)))}
    return render_template("voice/blocks.html", form=form, blocks=rows, people=people,
                           renew_form=RenewForm(formdata=None), confirm=ConfirmForm()), code


@bp.route("/coordinator/calls/blocks", methods=["GET", "POST"])
@access.rule(Level.COORDINATOR)
def blocked_numbers() -> ResponseReturnValue:
    form = BlockNumberForm()
    if form.validate_on_submit():
        blocks.block_number(form.phone.data or "", current_user, form.days.data)
        flash(_("The number is blocked."), "success")
        return redirect(url_for("voice.blocked_numbers"))
    return _blocks_page(form, 400 if form.is_submitted() else 200)


@bp.route("/coordinator/calls/blocks/<int:block_id>/renew", methods=["POST"])
@access.rule(Level.COORDINATOR)
def renew_block(block_id: int) -> ResponseReturnValue:
    block = db.get_or_404(Block, block_id)
    form = RenewForm()
    if form.validate_on_submit():
        try:
            blocks.renew(block, current_user, form.days.data)
        except DomainError as exc:
            flash(exc.reason, "error")
        else:
            flash(_("The block is renewed."), "success")
    return redirect(url_for("voice.blocked_numbers"))


@bp.route("/coordinator/calls/blocks/<int:block_id>/lift", methods=["POST"])
@access.rule(Level.COORDINATOR)
def lift_block(block_id: int) -> ResponseReturnValue:
    block = db.get_or_404(Block, block_id)
    if ConfirmForm().validate_on_submit():
        try:
            blocks.lift(block, current_user)
        except DomainError as exc:
            flash(exc.reason, "error")
        else:
            flash(_("The block is lifted."), "success")
    return redirect(url_for("voice.blocked_numbers"))


# -- settings -------------------------------------------------------------------------------

@bp.route("/admin/settings/voice", methods=["GET", "POST"])
@access.rule(Level.ADMIN)
def settings() -> ResponseReturnValue:
    row = service.voice_settings()
    form = VoiceSettingsForm(obj=row if request.method == "GET" else None)
    if form.validate_on_submit():
        service.save_settings(
            current_user, enabled=bool(form.enabled.data), greeting_en=form.greeting_en.data or "",
            greeting_es=form.greeting_es.data or "", ring_seconds=form.ring_seconds.data or 20,
            voicemail_seconds=form.voicemail_seconds.data or 120)
        flash(_("Settings saved."), "success")
        return redirect(url_for("voice.settings"))
    return render_template("voice/settings.html", form=form), 400 if form.is_submitted() else 200


# -- on a request's page: call back, listen -------------------------------------------------

def _request_page(request_id: int) -> ResponseReturnValue:
    if current_user.level >= Level.COORDINATOR:
        return redirect(url_for("hotline.detail", request_id=request_id))
    return redirect(url_for("hotline.my_detail", request_id=request_id))


@bp.route("/voice/requests/<int:request_id>/call-back", methods=["POST"])
@access.rule(Level.VETTED)  # and only the request's assignee or a coordinator: callbacks.start
def call_back(request_id: int) -> ResponseReturnValue:
    if not ConfirmForm().validate_on_submit():
        flash(_("That change is not possible now."), "error")
        return _request_page(request_id)
    try:
        call = callbacks.start(request_id, current_user)
    except DomainError as exc:
        if exc.status == 404:
            raise
        db.session.rollback()
        flash(exc.reason, "error")
        return _request_page(request_id)
    tasks.place_callback(call.id)
    flash(_("Your phone will ring from the hotline number. Answer and press 1 to be "
            "connected."), "success")
    return _request_page(request_id)


@bp.route("/voice/voicemails/<int:voicemail_id>/audio")
@access.rule(Level.VETTED)  # and only coordinators and the request's assignee: service.play
def play(voicemail_id: int) -> ResponseReturnValue:
    vm = service.play(voicemail_id, current_user)
    return Response(vm.audio, mimetype=vm.content_type, headers={
        "Cache-Control": "no-store, private", "Content-Disposition": "inline"})
