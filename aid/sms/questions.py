"""Yes/no questions we texted someone and that still wait for their answer.

Several features ask by text and take a short YES (or NO) back: an invitation to alerts
(`aid.sms.invitations`), a shift reminder, a family's case reminder. One person can have
two of them open at once (a volunteer whose number was also imported from another texting
service), and a bare "YES" does not say which it answers. The rule, the same in every
feature: a YES answers the question asked most recently; the reply says what it answered
and, for each question still open, how to answer it ("text YES again"), in the person's
language. Each answered question stops being open, so the next YES goes to the next one.

A feature registers a finder (`on_question`): for a phone number, its open question, if
any, with when it was asked and the sentence that tells how to answer it. Its answerer
then asks `is_newest` before answering (else it returns `router.PASS`), and appends
`still_open` to its reply. Registration order does not matter: the newest question wins,
and two asked at the same instant are ordered by their feature's name.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Question:
    kind: str  # the registering feature's name: "invitation", "shift", "case"
    asked_at: datetime
    # "Our invitation to alerts still waits for your answer: text YES again." in the locale
    # in force when it is called (the reply's).
    how_to_answer: Callable[[], str]


Finder = Callable[[str, datetime], "Question | None"]  # (sender E.164, now)
_finders: dict[str, Finder] = {}


def on_question(kind: str) -> Callable[[Finder], Finder]:
    """Register how to find a feature's open question for a number. Registering a kind
    again replaces its finder."""

    def register(finder: Finder) -> Finder:
        _finders[kind] = finder
        return finder

    return register


def open_questions(phone: str, now: datetime) -> list[Question]:
    """Every open question for this number, the newest first."""
    found = [q for kind in sorted(_finders) if (q := _finders[kind](phone, now)) is not None]
    return sorted(found, key=lambda q: (q.asked_at, q.kind), reverse=True)


def is_newest(kind: str, phone: str, now: datetime) -> bool:
    """Should a YES from this number answer `kind`'s question? True when no other feature's
    open question was asked after it (or there is no other)."""
    found = open_questions(phone, now)
    return not found or found[0].kind == kind


def still_open(phone: str, now: datetime, answered: str) -> str:
    """How to answer the questions still open besides `answered` (call it after the answer
    is recorded, inside the reply's locale); "" when there are none."""
    return " ".join(q.how_to_answer() for q in open_questions(phone, now) if q.kind != answered)


def with_still_open(reply: str | None, phone: str, now: datetime, answered: str) -> str | None:
    """`reply` followed by `still_open`."""
    rest = still_open(phone, now, answered)
    if not rest:
        return reply
    return f"{reply} {rest}" if reply else rest
