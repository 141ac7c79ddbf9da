"""The keyword router: one place that decides which feature answers an inbound text.

Features register at import time::

    from aid.sms.router import Inbound, on_keywords

    @on_keywords("YES", "SI", "NO")
    def answer_reminder(inbound: Inbound) -> str | None:
        ...  # reply text in inbound.locale, or None for no reply

Matching is on the first word, case-, accent- and punctuation-insensitive ("sí." is "SI").
Opt-out words (STOP and its family, in English and Spanish) are checked first, anywhere in
the message (see `opt_out_word`), so an opt-out is never swallowed by another feature.
A sender in the middle of a guided exchange (`on_conversation`) is answered by it first.
Anything no keyword claims goes to the fallback: the hotline registers it with
`set_fallback`; until then a short help text answers.

A keyword has one owner, but a short answer such as YES or NO may answer texts that several
features sent (a volunteer's shift reminder, a family's case reminder). A feature that asked
a question registers an answerer (`on_answer`): answerers are asked first, in order, and each
returns `PASS` when the text is not an answer to its own question (no such question pending
for that phone), so the keyword's owner still gets everything else.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from aid.sms.words import (
    ENGLISH_HINTS,
    OPT_OUT_AFTER,
    OPT_OUT_BEFORE,
    OPT_OUT_COMPANIONS,
    OPT_OUT_WORDS,
    SPANISH_KEYWORDS,
    SPANISH_WORDS,
    words_of,
)


@dataclass(frozen=True)
class Inbound:
    phone: str  # sender, E.164
    body: str  # raw text as received (bounded to Twilio's 1,600 characters)
    words: tuple[str, ...]  # upper-case, accents stripped, split on whitespace/punctuation
    message_sid: str
    locale: str  # "es" when the keyword or text looks Spanish, else "en"


Handler = Callable[[Inbound], str | None]


class Pass:
    """What an answerer returns for "not an answer to my question": the next one decides."""

    def __repr__(self) -> str:
        return "PASS"


PASS = Pass()
Answerer = Callable[[Inbound], "str | None | Pass"]

_handlers: dict[str, Handler] = {}
_blockers: list[Callable[[str], bool]] = []
ALWAYS_ANSWERED = ("HELP", "INFO", "AYUDA")  # besides the opt-out words
_answerers: dict[str, list[Answerer]] = {}
# Guided exchanges (a report given one question at a time): name -> (is this sender in the
# middle of one?, handler). Asked before the keywords, after the opt-out words.
_conversations: dict[str, tuple[Callable[[Inbound], bool], Handler]] = {}
_fallback: Handler | None = None
_default: Handler | None = None  # aid.sms.keywords sets the short help text


def guess_locale(words: tuple[str, ...], body: str, default: str = "en") -> str:
    """"es" when the keyword or the text looks Spanish; `default` when nothing tells."""
    if words and words[0] in SPANISH_KEYWORDS:
        return "es"
    if any(ch in body for ch in "ñÑ¿¡áéíóúÁÉÍÓÚ"):
        return "es"
    spanish = sum(1 for w in words if w in SPANISH_WORDS)
    english = sum(1 for w in words if w in ENGLISH_HINTS)
    if spanish > english:
        return "es"
    if english > spanish:
        return "en"
    return default


def make_inbound(phone: str, body: str, message_sid: str, default_locale: str = "en") -> Inbound:
    words = words_of(body)
    return Inbound(phone=phone, body=body, words=words, message_sid=message_sid,
                   locale=guess_locale(words, body, default_locale))


def on_keywords(*keywords: str) -> Callable[[Handler], Handler]:
    """Register `handler` for texts whose first word is one of `keywords`.

    Keywords are normalised like inbound words (so "SÍ" and "si" both mean SI). Registering a
    keyword twice is a programming error and raises, so two features cannot silently fight.
    """
    normalised = [k for word in keywords for k in words_of(word)]

    def register(handler: Handler) -> Handler:
        for word in normalised:
            existing = _handlers.get(word)
            if existing is not None and existing is not handler:
                raise ValueError(f"keyword {word} is already handled by {existing.__qualname__}")
            _handlers[word] = handler
        return handler

    return register


def on_answer(*keywords: str) -> Callable[[Answerer], Answerer]:
    """Register `answerer` for texts whose first word is one of `keywords`, asked before the
    keyword's owner. Registering the same function again changes nothing."""
    normalised = [k for word in keywords for k in words_of(word)]

    def register(answerer: Answerer) -> Answerer:
        for word in normalised:
            chain = _answerers.setdefault(word, [])
            if answerer not in chain:
                chain.append(answerer)
        return answerer

    return register


def on_conversation(name: str, active: Callable[[Inbound], bool], handler: Handler) -> None:
    """Register a guided exchange: while `active(inbound)` says the sender is in the middle
    of it, their texts (but an opt-out) go to `handler`, whatever their first word, so an
    answer such as "NO" or "1" is not taken for another keyword. Registering a name again
    replaces it."""
    _conversations[name] = (active, handler)


def conversation_for(inbound: Inbound) -> str | None:
    """The name of the exchange this sender is in the middle of, if any."""
    for name, (active, _handler) in _conversations.items():
        if active(inbound):
            return name
    return None


def set_fallback(handler: Handler) -> None:
    """Who gets texts no keyword claims ("anything else goes to the hotline")."""
    global _fallback
    _fallback = handler


def set_default(handler: Handler) -> None:
    """What answers when no fallback is set (aid.sms.keywords: a short help text)."""
    global _default
    _default = handler


def fallback(inbound: Inbound) -> str | None:
    """Hand a text to the fallback directly (used when an opt-out also carries a plea)."""
    if _fallback is not None:
        return _fallback(inbound)
    return _default(inbound) if _default is not None else None


def opt_out_word(inbound: Inbound) -> str | None:
    """The opt-out keyword when the text asks to stop, else None.

    An opt-out word counts anywhere in a text that is otherwise only about stopping ("ok
    stop please", "ya no, BAJA"), first in any text ("Stop sending these"), or right next to
    "please"/"texting"/"me" ("can you please stop", "quit texting me"). It does not count
    inside a report such as "agents at the bus stop" or "at the end of my street": that
    person needs the hotline, not silence.
    """
    words = inbound.words
    found = [i for i, w in enumerate(words) if w in OPT_OUT_WORDS]
    if not found:
        return None
    if found[0] == 0 or all(w in OPT_OUT_WORDS or w in OPT_OUT_COMPANIONS for w in words):
        return words[found[0]]
    for i in found:
        if i > 0 and words[i - 1] in OPT_OUT_BEFORE:
            return words[i]
        if any(w in OPT_OUT_AFTER for w in words[i + 1:i + 3]):
            return words[i]
    return None


def dispatch(inbound: Inbound) -> str | None:
    """The reply to `inbound` (None: no reply). Opt-out first, then the claimers, then the
    first word, then the fallback."""
    stop = opt_out_word(inbound)
    if stop is not None and stop in _handlers:
        return _handlers[stop](inbound)
    talking = conversation_for(inbound)
    if talking is not None:
        return _conversations[talking][1](inbound)
    first = inbound.words[0] if inbound.words else ""
    for answerer in _answerers.get(first, ()):
        reply = answerer(inbound)
        if not isinstance(reply, Pass):
            return reply
    if first in _handlers:
        return _handlers[first](inbound)
    return fallback(inbound)


def add_blocker(check: Callable[[str], bool]) -> None:
    """Register `check(e164) -> bool`: True means texts from the number are ignored (a
    feature's block list, e.g. the voice hotline's). Registering the same check twice is a
    no-op."""
    if check not in _blockers:
        _blockers.append(check)


def blocked(phone: str) -> bool:
    return any(check(phone) for check in _blockers)


def always_answered(inbound: Inbound) -> bool:
    """STOP (any opt-out) and a bare HELP are answered even from a blocked number: the
    carriers require it, and an opt-out must always work."""
    if opt_out_word(inbound) is not None:
        return True
    return len(inbound.words) == 1 and inbound.words[0] in ALWAYS_ANSWERED


def registered() -> dict[str, Handler]:
    """A copy of the keyword table (for tests and the admin's overview)."""
    return dict(_handlers)


def answerers() -> dict[str, list[Answerer]]:
    """A copy of the answerers per keyword (for tests)."""
    return {word: list(chain) for word, chain in _answerers.items()}
