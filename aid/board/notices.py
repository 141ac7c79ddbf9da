"""Who the board tells: coordinators of a post to moderate, a poster of an answer.

An answer is relayed: the poster hears only that there is one (by the contact they gave, if
it is a phone number or an email address, or by their account), never the responder's words
or contact, and the responder learns nothing of the poster's. Contacts are shared only when
the poster agrees on their page.
"""

from __future__ import annotations

from email.utils import parseaddr

from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from aid.board.models import Post, PostStatus, Response
from aid.board.sms import relay_code
from aid.errors import Conflict, Invalid
from aid.network.service import current_settings
from aid.notify import mailer
from aid.notify import service as notify
from aid.phones import BadPhone, normalise_phone
from aid.sms.gateway import queue_sms


def post_created(post: Post) -> None:
    if post.status == PostStatus.PENDING:
        notify.notify_on_duty_later("moderation", path=f"/coordinator/board/{post.id}")


def _contact(text: str | None, locale: str) -> notify.Recipient | None:
    """The poster's free-text contact as an address, when it is one; else None."""
    value = (text or "").strip()
    if not value:
        return None
    _name, address = parseaddr(value)
    if "@" in address and " " not in address and "." in address.rpartition("@")[2]:
        return notify.Recipient(email=address, locale=locale)
    try:
        phone = normalise_phone(value, current_settings().default_region)
    except BadPhone:
        return None
    return notify.Recipient(phone=phone, locale=locale)


def answered(post: Post, locale: str = "en", response: Response | None = None) -> None:
    if post.author_id:
        notify.notify(post.author_id, "board_answer", path=f"/board/mine/{post.id}")
        return
    recipient = _contact(post.contact, locale)
    if recipient is not None:
        # Only a hash of the poster's private link is kept: the message points them to it.
        params = {"private": "1"}
        if recipient.phone and response is not None:
            params["relay"] = relay_code(response)  # answer by text: aid.board.sms
        notify.notify(recipient, "board_answer", params=params)


def link_channel(post: Post) -> str | None:
    """How the poster's private link can be sent to them: "email", "sms" or None (no
    account, and a contact that is an address or a phone number)."""
    if post.author_id:
        return None
    recipient = _contact(post.contact, "en")
    if recipient is None:
        return None
    return "email" if recipient.email else "sms"


def send_private_link(post: Post, link: str, locale: str) -> str:
    """The poster's private link, sent at their asking to the contact they gave: by email
    through the notifications' mailer (at once, so the page can say it went), or by text
    through the SMS gateway (which honours STOP). The link is never stored in clear: the
    text's row is encrypted like every text, the email is not kept. Returns the channel."""
    recipient = _contact(post.contact, locale)
    if post.author_id or recipient is None:
        raise Invalid("no_contact", _l("We have no email address or phone number to send "
                                       "it to. Please copy the link now."))
    network = current_settings().network_name
    with force_locale(locale):
        if recipient.email:
            subject = _("Your private link for your board post")
            line = _("This private link is the only way to change or close your post and to "
                     "read answers. Keep it safe: anyone with it can manage your post.")
            text = f"{network}\n\n{line}\n{link}\n"
            html = str(Markup("<p>{}</p><p>{}</p><p><a href=\"{}\">{}</a></p>").format(
                network, line, link, link))
            try:
                mailer.send(mailer.Mail(recipient.email, f"{network}: {subject}", text, html,
                                        {"Auto-Submitted": "auto-generated"}), network)
            except (mailer.TemporaryFailure, mailer.PermanentFailure) as exc:
                raise Conflict("mail_failed", _l("The email could not be sent just now. "
                                                 "Please copy the link.")) from exc
            return "email"
        body = _("%(network)s: your private link for your board post. Keep it safe: "
                 "anyone with it can manage the post. %(link)s", network=network, link=link)
    queue_sms(recipient.phone or "", body, purpose="board_link")
    return "sms"
