"""Routes: my notification choices, one-click unsubscribe, and the admin's counts."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from aid.extensions import csrf
from aid.notify import bp, events, service
from aid.notify.forms import channel_value, channels_from, hhmm, minutes, preferences_form
from aid.security import access
from aid.security.access import Level

ADMIN_DAYS = 7


def _kind_fields(form: object) -> list[tuple[str, object]]:
    return [(name, getattr(form, f"kind_{name}")) for name in events.KINDS
            if hasattr(form, f"kind_{name}")]


@bp.route("/my/notifications", methods=["GET", "POST"])
@access.rule(Level.APPLIED)  # one's own choices
def preferences() -> ResponseReturnValue:
    pref = service.preference(current_user.id)
    is_coordinator = current_user.level >= Level.COORDINATOR
    form = preferences_form()
    if not form.is_submitted():
        for name, field in _kind_fields(form):
            field.data = channel_value(service.channels_for(current_user.id,  # type: ignore[attr-defined]
                                                            events.kind(name)))
        form.quiet_start.data, form.quiet_end.data = hhmm(pref.quiet_start), hhmm(pref.quiet_end)
        form.language.data = pref.locale or ""
        form.on_duty.data = pref.on_duty_days.split(",") if pref.on_duty_days else []
    elif form.validate():
        service.save_preferences(
            current_user.id,
            channels={name: channels_from(field.data)  # type: ignore[attr-defined]
                      for name, field in _kind_fields(form)},
            quiet_start=minutes(form.quiet_start.data), quiet_end=minutes(form.quiet_end.data),
            locale=form.language.data or None,
            on_duty_days=[int(d) for d in form.on_duty.data or []] if is_coordinator else None)
        flash(_("Your notification choices are saved."), "success")
        return redirect(url_for("notify.preferences"))
    return render_template("notify/preferences.html", form=form, kinds=_kind_fields(form),
                           is_coordinator=is_coordinator), 400 if form.errors else 200


@bp.route("/notify/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt  # RFC 8058: mail clients post here without a form; the signed token guards it
@access.rule(Level.PUBLIC)  # guarded by a signed token naming the person and the kind
def unsubscribe(token: str) -> ResponseReturnValue:
    found = service.read_unsubscribe_token(token)
    if found is None:
        abort(404)
    user_id, kind = found
    if request.method == "POST":
        service.unsubscribe(user_id, kind)
        return render_template("notify/unsubscribed.html", label=events.kind(kind).label(),
                               done=True)
    return render_template("notify/unsubscribed.html", label=events.kind(kind).label(),
                           done=False)


@bp.route("/admin/notifications")
@access.rule(Level.ADMIN)  # counts only, no addresses
def admin_summary() -> ResponseReturnValue:
    lines = service.summary(ADMIN_DAYS)
    labels = {name: info.label() for name, info in events.KINDS.items()}
    return render_template("notify/admin.html", lines=lines, labels=labels, days=ADMIN_DAYS)
