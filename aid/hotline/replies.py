"""Saved replies: the team's reply templates, one language each, inserted into a text to a
requester in one tap. `{code}` in a template becomes the request's reference code."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from aid.auth.models import User
from aid.errors import Invalid, NotFound
from aid.extensions import db
from aid.hotline.models import HelpRequest, SavedReply
from aid.hotline.service import MAX_REPLY
from aid.security import audit

MAX_TITLE = 60
UNKNOWN_LANGUAGE = _l("Choose one of the network's languages.")


def all_replies() -> list[SavedReply]:
    """Every saved reply, by language then title (titles are encrypted: sorted here)."""
    rows = list(db.session.scalars(select(SavedReply)))
    return sorted(rows, key=lambda r: (r.language, r.title.casefold(), r.id))


def for_language(language: str) -> list[SavedReply]:
    return [r for r in all_replies() if r.language == language]


def get(reply_id: int) -> SavedReply:
    row = db.session.get(SavedReply, reply_id)
    if row is None:
        raise NotFound("no such saved reply")
    return row


def _check(language: str, title: str, body: str, languages: list[str]) -> tuple[str, str]:
    if language not in languages:
        raise Invalid(f"language {language!r}", UNKNOWN_LANGUAGE)
    return title.strip()[:MAX_TITLE], body.strip()[:MAX_REPLY]


def create(actor: User, language: str, title: str, body: str,
           languages: list[str]) -> SavedReply:
    title, body = _check(language, title, body, languages)
    row = SavedReply(language=language, title=title, body=body, created_by_id=actor.id)
    db.session.add(row)
    db.session.flush()
    audit.record("saved_reply.created", "saved_reply", row.id, language, actor_id=actor.id)
    db.session.commit()
    return row


def update(row: SavedReply, actor: User, language: str, title: str, body: str,
           languages: list[str]) -> None:
    row.title, row.body = _check(language, title, body, languages)
    row.language = language
    audit.record("saved_reply.updated", "saved_reply", row.id, language, actor_id=actor.id)
    db.session.commit()


def delete(row: SavedReply, actor: User) -> None:
    audit.record("saved_reply.deleted", "saved_reply", row.id, row.language, actor_id=actor.id)
    db.session.delete(row)
    db.session.commit()


def filled(row: SavedReply, req: HelpRequest) -> str:
    """The reply as it would be sent for this request."""
    return row.body.replace("{code}", req.code)[:MAX_REPLY]


def offered(req: HelpRequest) -> tuple[list[SavedReply], list[SavedReply]]:
    """The replies in the request's language first, then the others."""
    rows = all_replies()
    return ([r for r in rows if r.language == req.language],
            [r for r in rows if r.language != req.language])
