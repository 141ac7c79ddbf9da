"""Coordinators' board pages at /coordinator/board: queue, flagged list, a post in full."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from aid.board import bp, moderation, service
from aid.board.forms import FLAG_LABELS, EditPostForm, MatchForm
from aid.board.models import Post
from aid.board.views import _post_input
from aid.extensions import db
from aid.forms import ConfirmForm
from aid.network.service import area_names
from aid.pagination import page_number
from aid.security import access, audit
from aid.security.access import Level


@bp.route("/coordinator/board")
@access.rule(Level.COORDINATOR)
def moderation_queue() -> ResponseReturnValue:
    view = request.args.get("view", "pending")
    if view not in moderation.VIEWS:
        view = "pending"
    # Recorded before the query: a commit afterwards would expire every row on the page,
    # and each would be read again, one statement a row.
    audit.record("board_post.list_viewed", "board_post", None, f"{view} page {page_number()}")
    db.session.commit()
    page = moderation.queue_page(view)
    return render_template("board/moderation.html", page=page, view=view,
                           counts=moderation.counts(), areas=area_names(),
                           views=moderation.VIEWS)


def _match_form(post: Post, suggestions: list[Post]) -> MatchForm:
    form = MatchForm()
    form.other_id.choices = [(p.id, f"#{p.id} {p.title}") for p in suggestions]
    return form


@bp.route("/coordinator/board/<int:post_id>")
@access.rule(Level.COORDINATOR)
def mod_post(post_id: int) -> ResponseReturnValue:
    post = db.get_or_404(Post, post_id)
    audit.viewed("board_post", post.id)  # the contact and responses are on this page
    suggestions = service.suggestions(post)
    return render_template(
        "board/mod_post.html", post=post, areas=area_names(), suggestions=suggestions,
        matched=service.matched_posts(post), match_form=_match_form(post, suggestions),
        reasons=moderation.flag_reasons(post), flag_labels=FLAG_LABELS)


@bp.route("/coordinator/board/<int:post_id>/action", methods=["POST"])
@access.rule(Level.COORDINATOR)
def mod_action(post_id: int) -> ResponseReturnValue:
    post = db.get_or_404(Post, post_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    action = request.form.get("action", "")
    back = url_for("board.mod_post", post_id=post.id)
    if action == "approve":
        ok = moderation.approve(post)
        flash(_("The post is on the board.") if ok
              else _("This post cannot go on the board (closed or expired)."),
              "success" if ok else "error")
    elif action == "hide":
        moderation.hide(post)
        flash(_("The post is hidden from the board."), "success")
    elif action == "clear_flags":
        moderation.clear_flags(post)
        flash(_("Flags cleared."), "success")
    elif action == "remove":
        moderation.remove(post)
        flash(_("The post is removed."), "success")
        return redirect(url_for("board.moderation_queue"))
    else:
        abort(400)
    return redirect(back)


@bp.route("/coordinator/board/<int:post_id>/edit", methods=["GET", "POST"])
@access.rule(Level.COORDINATOR)
def mod_edit(post_id: int) -> ResponseReturnValue:
    post = db.get_or_404(Post, post_id)
    form = EditPostForm(obj=post if request.method == "GET" else None)
    del form.contact  # the poster's own contact is theirs to change
    if request.method == "GET":
        form.area.data = post.area_id
    back = url_for("board.mod_post", post_id=post.id)
    if form.validate_on_submit():
        service.edit_post(post, _post_input(form, with_contact=False), by_coordinator=True)
        flash(_("Changes saved."), "success")
        return redirect(back)
    status = 400 if request.method == "POST" else 200
    return render_template("board/edit.html", post=post, form=form, back_url=back), status


@bp.route("/coordinator/board/<int:post_id>/match", methods=["POST"])
@access.rule(Level.COORDINATOR)
def mod_match(post_id: int) -> ResponseReturnValue:
    post = db.get_or_404(Post, post_id)
    form = MatchForm()
    # Any open post of the other kind may be linked, not only the suggestions shown.
    form.other_id.choices = [(form.other_id.data or 0, "")]
    if not form.validate_on_submit():
        abort(400)
    other = db.session.get(Post, form.other_id.data)
    if other is None or other.kind == post.kind:
        flash(_("Choose a post of the other kind."), "error")
    else:
        service.broker(post, other, current_user)
        flash(_("Linked. Both posters see the link on their page."), "success")
    return redirect(url_for("board.mod_post", post_id=post.id))
