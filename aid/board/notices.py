"""Who the board tells: coordinators of a post to moderate, a poster of an answer.

An answer is relayed: the poster hears only that there is one (by the contact they gave, if
it is a phone number or an email address, or by their account), never the responder's words
or contact, and the responder learns nothing of the poster's. Contacts are shared only when
the poster agrees on their page.
"""

from __future__ import annotations

from email.utils import parseaddr

from aid.admin.service import current_settings
from aid.board.models import Post, PostStatus
from aid.notify import service as notify
from aid.phones import BadPhone, normalise_phone


def post_created(post: Post) -> None:
    if post.status == PostStatus.PENDING:
        notify.notify_on_duty("moderation", path=f"/coordinator/board/{post.id}")


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


def answered(post: Post, locale: str = "en") -> None:
    if post.author_id:
        notify.notify(post.author_id, "board_answer", path=f"/board/mine/{post.id}")
        return
    recipient = _contact(post.contact, locale)
    if recipient is not None:
        # Only a hash of the poster's private link is kept: the message points them to it.
        notify.notify(recipient, "board_answer", params={"private": "1"})
