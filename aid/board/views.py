"""The public board, posting, the poster's private manage page and the responder's page."""

from __future__ import annotations

from flask import Response as HttpResponse
from flask import abort, flash, redirect, render_template, request, url_for
from flask.blueprints import BlueprintSetupState
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from aid import errors
from aid.board import bp, cards, notices, service
from aid.board.feed import atom_feed
from aid.board.forms import (
    CATEGORY_LABELS,
    KIND_LABELS,
    STATUS_LABELS,
    VIEW_LABELS,
    EditPostForm,
    FlagForm,
    PostForm,
    RespondForm,
)
from aid.board.models import CATEGORIES, CLOSED, Post
from aid.board.moderation import flag as flag_post
from aid.extensions import limiter
from aid.forms import ConfirmForm
from aid.network.service import area_names
from aid.pagecache import cached
from aid.security import access
from aid.security.access import Level
from aid.security.numbers import bounded_int

# What the public lists show: a change to any of these drops their cached copies.
# The words table too: a search answers from it (a backfill adds words to old posts).
SHOWN = ("board_posts", "board_words", "areas", "network_settings")
POST_LIMIT = "10 per hour;30 per day"
RESPOND_LIMIT = "20 per hour"
FLAG_LIMIT = "10 per hour"
MANAGE_LIMIT = "60 per hour"
SEND_LINK_LIMIT = "3 per hour"  # each one is an email or a text we pay for


bp.before_request(cards.drop_old)


@bp.record_once
def _labels(state: BlueprintSetupState) -> None:
    # Globals rather than a context processor: imported macros see globals, not the context.
    state.app.jinja_env.globals.update(
        category_labels=CATEGORY_LABELS, kind_labels=KIND_LABELS, status_labels=STATUS_LABELS,
        view_labels=VIEW_LABELS, board_cards=cards.post_cards)


def _post_input(form: EditPostForm, with_contact: bool = True) -> service.PostInput:
    return service.PostInput(
        category=form.category.data, area_id=form.area.data, title=form.title.data or "",
        description=form.description.data or "", quantity=form.quantity.data or "",
        first_name=form.first_name.data or "",
        contact=(form.contact.data or "") if with_contact else None)


@bp.route("/board")
@cached("board.index", *SHOWN)
@access.rule(Level.PUBLIC)
def index() -> ResponseReturnValue:
    args = request.args
    kind = args.get("kind", "") if args.get("kind") in KIND_LABELS else ""
    category = args.get("category", "") if args.get("category") in CATEGORIES else ""
    area_id = bounded_int(args.get("area"))
    q = args.get("q", "")[:200]
    page = service.public_page(service.Filters(kind, category, area_id, q))
    return render_template("board/index.html", page=page, areas=area_names(),
                           kind=kind, category=category, area_id=area_id, q=q,
                           categories=CATEGORIES)


@bp.route("/board/feed.atom")
@cached("board.feed", *SHOWN)
@access.rule(Level.PUBLIC)
def feed() -> ResponseReturnValue:
    xml = atom_feed(service.feed_posts(), area_names())
    return HttpResponse(xml, mimetype="application/atom+xml")


@bp.route("/board/new", methods=["GET", "POST"])
@limiter.limit(POST_LIMIT, methods=["POST"])
@access.rule(Level.PUBLIC)
def new() -> ResponseReturnValue:
    form = PostForm()
    if form.validate_on_submit():
        author = current_user if service.posts_from_account(current_user) else None
        post, token = service.create_post(form.kind.data, _post_input(form),
                                          form.expiry_days.data, author)
        if token is None:
            flash(_("Your post is on the board."), "success")
            return redirect(url_for("board.mine_manage", post_id=post.id))
        link = url_for("board.manage", token=token, _external=True)
        return render_template("board/created.html", post=post, link=link,
                               send_url=url_for("board.send_link", token=token),
                               channel=notices.link_channel(post))
    status = 400 if request.method == "POST" else 200
    return render_template("board/new.html", form=form,
                           from_account=service.posts_from_account(current_user)), status


@bp.route("/board/<int:post_id>")
@access.rule(Level.PUBLIC)
def show(post_id: int) -> ResponseReturnValue:
    post = service.public_post(post_id) or abort(404)
    return render_template("board/show.html", post=post, areas=area_names())


@bp.route("/board/<int:post_id>/respond", methods=["GET", "POST"])
@limiter.limit(RESPOND_LIMIT, methods=["POST"])
@access.rule(Level.PUBLIC)
def respond(post_id: int) -> ResponseReturnValue:
    post = service.public_post(post_id) or abort(404)
    form = RespondForm()
    if form.validate_on_submit():
        responder = current_user if current_user.is_authenticated else None
        _response, token = service.respond(post, form.message.data or "", form.contact.data or "",
                                           responder)
        link = url_for("board.reply", token=token, _external=True)
        return render_template("board/responded.html", post=post, link=link)
    status = 400 if request.method == "POST" else 200
    return render_template("board/respond.html", post=post, form=form,
                           areas=area_names()), status


@bp.route("/board/<int:post_id>/flag", methods=["GET", "POST"])
@limiter.limit(FLAG_LIMIT, methods=["POST"])
@access.rule(Level.PUBLIC)
def flag(post_id: int) -> ResponseReturnValue:
    post = service.public_post(post_id) or abort(404)
    form = FlagForm()
    if form.validate_on_submit():
        flag_post(post, form.reason.data)
        flash(_("Thank you. A coordinator will look at this post."), "success")
        return redirect(url_for("board.show", post_id=post.id))
    status = 400 if request.method == "POST" else 200
    return render_template("board/flag.html", post=post, form=form), status


# -- the poster's private page: by secret link, or from their account --------------------

def _manage_page(post: Post, edit_url: str, action_url: str) -> ResponseReturnValue:
    if request.method == "POST":
        if not ConfirmForm().validate_on_submit():
            abort(400)
        action = request.form.get("action", "")
        if action == "fulfil":
            service.mark_fulfilled(post)
            flash(_("Marked as fulfilled. It has left the board. Thank you!"), "success")
        elif action == "delete":
            service.delete_post(post)
            flash(_("Your post and its messages are deleted."), "success")
            return redirect(url_for("board.index"))
        elif action == "share":
            if service.share_contacts(post, bounded_int(request.form.get("response")) or 0) is None:
                abort(404)
            flash(_("Contacts shared. You can now reach each other."), "success")
        else:
            abort(400)
        return redirect(action_url)
    return render_template(
        "board/manage.html", post=post, edit_url=edit_url, action_url=action_url,
        areas=area_names(),
        suggestions=[] if post.status in CLOSED else service.suggestions(post),
        matched=service.matched_posts(post))


def _edit_page(post: Post, back_url: str) -> ResponseReturnValue:
    form = EditPostForm(obj=post if request.method == "GET" else None)
    if request.method == "GET":
        form.area.data = post.area_id
    if form.validate_on_submit():
        service.edit_post(post, _post_input(form))
        flash(_("Changes saved.") if post.is_open
              else _("Changes saved. A coordinator will look at your post again."), "success")
        return redirect(back_url)
    status = 400 if request.method == "POST" else 200
    return render_template("board/edit.html", post=post, form=form, back_url=back_url), status


@bp.route("/board/manage/<token>", methods=["GET", "POST"])
@limiter.limit(MANAGE_LIMIT, methods=["POST"])
@access.rule(Level.PUBLIC)
def manage(token: str) -> ResponseReturnValue:
    post = service.post_for_token(token) or abort(404)
    return _manage_page(post, url_for("board.manage_edit", token=token),
                        url_for("board.manage", token=token))


@bp.route("/board/manage/<token>/send", methods=["POST"])
@limiter.limit(SEND_LINK_LIMIT)
@access.rule(Level.PUBLIC)
@errors.back_to("board.manage")
def send_link(token: str) -> ResponseReturnValue:
    """The poster without an account asks for their private link by email or text."""
    post = service.post_for_token(token) or abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    link = url_for("board.manage", token=token, _external=True)
    channel = service.send_private_link(post, link, str(get_locale()))
    flash(_("We emailed the link to the address you gave.") if channel == "email"
          else _("We are texting the link to the number you gave."), "success")
    return redirect(url_for("board.manage", token=token))


@bp.route("/board/manage/<token>/edit", methods=["GET", "POST"])
@limiter.limit(MANAGE_LIMIT, methods=["POST"])
@access.rule(Level.PUBLIC)
def manage_edit(token: str) -> ResponseReturnValue:
    post = service.post_for_token(token) or abort(404)
    return _edit_page(post, url_for("board.manage", token=token))


@bp.route("/board/mine")
@access.rule(Level.VETTED)
def mine() -> ResponseReturnValue:
    return render_template("board/mine.html", posts=service.my_posts(current_user),
                           areas=area_names())


@bp.route("/board/mine/<int:post_id>", methods=["GET", "POST"])
@access.rule(Level.VETTED)  # and only the author's own posts (service)
def mine_manage(post_id: int) -> ResponseReturnValue:
    post = service.post_for_author(post_id, current_user) or abort(404)
    return _manage_page(post, url_for("board.mine_edit", post_id=post.id),
                        url_for("board.mine_manage", post_id=post.id))


@bp.route("/board/mine/<int:post_id>/edit", methods=["GET", "POST"])
@access.rule(Level.VETTED)
def mine_edit(post_id: int) -> ResponseReturnValue:
    post = service.post_for_author(post_id, current_user) or abort(404)
    return _edit_page(post, url_for("board.mine_manage", post_id=post.id))


# -- the responder's private page -----------------------------------------------------------

@bp.route("/board/reply/<token>", methods=["GET", "POST"])
@limiter.limit(MANAGE_LIMIT, methods=["POST"])
@access.rule(Level.PUBLIC)
def reply(token: str) -> ResponseReturnValue:
    response = service.response_for_token(token) or abort(404)
    if request.method == "POST":
        if not ConfirmForm().validate_on_submit() or request.form.get("action") != "withdraw":
            abort(400)
        service.delete_response(response)
        flash(_("Your message is withdrawn and deleted."), "success")
        return redirect(url_for("board.index"))
    return render_template("board/reply.html", response=response, post=response.post,
                           areas=area_names())
