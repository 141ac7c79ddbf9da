"""The inbound router: one ordered list of handlers decides which feature answers a text.

Features register at import time. Most register keywords::

    from aid.sms.router import Inbound, on_keywords

    @on_keywords("YES", "SI", "NO")
    def answer_reminder(inbound: Inbound) -> str | None:
        ...  # reply text in inbound.locale, or None for no reply

Matching is on the first word, case-, accent- and punctuation-insensitive ("sí." is "SI").
A keyword has one owner (registering it twice raises).

Every text goes down one list of handlers, by stage, and the first that answers wins:

0. OPT_OUT (built in): an opt-out word (STOP and its family, in English and Spanish) counts
   anywhere in the text (see `opt_out_word`) and goes to its keyword's owner, so an opt-out is
   never swallowed by another feature. Nothing may be registered before it.
1. BLOCK (`add_blocker`): a number a feature refuses (the voice hotline's ban list) gets no
   reply and nothing else sees its text; but a bare HELP is still answered
   (`always_answered`: the carriers require it).
2. CONVERSATION (`on_conversation`): a sender in the middle of a guided exchange (a report
   given one question at a time) is answered by it, whatever their first word.
3. ANSWER (`on_answer`): a short answer such as YES or NO may answer texts that several
   features sent (an invitation to subscribe, a family's case reminder). Each answerer returns
   `PASS` when the text is not an answer to its own question, so the next one, and in the end
   the keyword's owner, still get everything else.
4. KEYWORD (built in): the first word's owner (`on_keywords`).
5. FALLBACK (built in): anything else goes to the hotline (`set_fallback`); until one is set,
   a short help text (`set_default`).

`add_handler(handler, stage, label=..., words=..., when=...)` is the one way in (the named
registrations above are thin wrappers over it). A handler takes the `Inbound` and returns the
reply (None: no reply) or `PASS` (not mine: ask the next). Within a stage handlers are asked
in the order they were registered; a stage may also be any number between two of these.
Registering the same handler again (same stage, same words) replaces it in place, so
importing or registering twice changes nothing. `handle` says which handler answered (the
inbound row's `handled_as`); `snapshot()` / `restore(state)` put the router back as it was
(for tests that register handlers).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any

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
    """What a handler returns for "not mine": the next one decides."""

    def __repr__(self) -> str:
        return "PASS"


PASS = Pass()
InboundHandler = Callable[[Inbound], "str | None | Pass"]
Answerer = InboundHandler  # what `on_answer` registers


class Stage(IntEnum):
    """Where a handler sits in the list (lowest first); see the module's docstring."""

    OPT_OUT = 0
    BLOCK = 100
    CONVERSATION = 200
    ANSWER = 300
    KEYWORD = 400
    FALLBACK = 500


@dataclass(frozen=True)
class Entry:
    """One handler in the list."""

    stage: int
    handler: InboundHandler
    label: str | None  # recorded as `handled_as`; None: the first word, lower-case
    words: frozenset[str] = frozenset()  # only texts whose first word is one of these
    when: Callable[[Inbound], bool] | None = None  # only texts for which this says True
    key: Any = field(default=None, compare=False)  # same key: the same registration

    def takes(self, inbound: Inbound) -> bool:
        if self.words and (not inbound.words or inbound.words[0] not in self.words):
            return False
        return self.when is None or self.when(inbound)


@dataclass(frozen=True)
class Handled:
    """Who answered a text (`label`, as recorded in `handled_as`) and the reply."""

    label: str
    reply: str | None


_handlers: dict[str, Handler] = {}  # the keyword table (stage KEYWORD)
_chain: list[Entry] = []  # every handler, sorted by stage, then by registration
ALWAYS_ANSWERED = ("HELP", "INFO", "AYUDA")  # besides the opt-out words
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


def _add(entry: Entry) -> None:
    for i, existing in enumerate(_chain):
        if existing.key == entry.key:
            _chain[i] = entry
            return
    after = [i for i, existing in enumerate(_chain) if existing.stage <= entry.stage]
    _chain.insert(after[-1] + 1 if after else 0, entry)


def add_handler(handler: InboundHandler, stage: int, *, label: str | None = None,
                words: Iterable[str] = (), when: Callable[[Inbound], bool] | None = None,
                ) -> InboundHandler:
    """Put `handler` in the list at `stage` (a `Stage`, or a number between two of them).

    `words`: only texts whose first word is one of them (normalised like inbound words);
    `when(inbound)`: only texts it says True for; `label`: what the text is recorded as
    handled by (default: its first word, lower-case). The handler returns the reply, None for
    no reply, or `PASS` to let the next handler decide. Registering the same handler at the
    same stage with the same words again replaces the earlier registration in place."""
    if stage <= Stage.OPT_OUT:
        raise ValueError("nothing may come before the opt-out words")
    normalised = frozenset(k for word in words for k in words_of(word))
    _add(Entry(int(stage), handler, label, normalised, when,
               key=(int(stage), handler, normalised)))
    return handler


def on_answer(*keywords: str) -> Callable[[Answerer], Answerer]:
    """Register `answerer` (stage ANSWER) for texts whose first word is one of `keywords`,
    asked before the keyword's owner; it returns `PASS` for a text that does not answer its
    own question."""
    def register(answerer: Answerer) -> Answerer:
        return add_handler(answerer, Stage.ANSWER, words=keywords)

    return register


def on_conversation(name: str, active: Callable[[Inbound], bool], handler: Handler) -> None:
    """Register a guided exchange (stage CONVERSATION): while `active(inbound)` says the sender
    is in the middle of it, their texts (but an opt-out) go to `handler`, whatever their first
    word, so an answer such as "NO" or "1" is not taken for another keyword. The texts are
    recorded as handled by `name`."""
    add_handler(handler, Stage.CONVERSATION, label=name, when=active)


def _ignored(_inbound: Inbound) -> None:
    return None  # no reply


def add_blocker(check: Callable[[str], bool]) -> None:
    """Register `check(e164) -> bool` (stage BLOCK): True means texts from the number are
    ignored (a feature's block list, e.g. the voice hotline's), but for an opt-out and a bare
    HELP. Registering the same check twice is a no-op."""
    def applies(inbound: Inbound) -> bool:
        return not always_answered(inbound) and check(inbound.phone)

    _add(Entry(Stage.BLOCK, _ignored, "blocked", when=applies, key=(Stage.BLOCK, check)))


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


def _opt_out(inbound: Inbound) -> str | None | Pass:
    stop = opt_out_word(inbound)
    if stop is not None and stop in _handlers:
        return _handlers[stop](inbound)
    return PASS


def _keyword(inbound: Inbound) -> str | None | Pass:
    first = inbound.words[0] if inbound.words else ""
    return _handlers[first](inbound) if first in _handlers else PASS


def handle(inbound: Inbound) -> Handled:
    """Ask the handlers in order (see the module's docstring); the first that does not
    `PASS` answers."""
    for entry in list(_chain):
        if not entry.takes(inbound):
            continue
        reply = entry.handler(inbound)
        if isinstance(reply, Pass):
            continue
        label = entry.label or (inbound.words[0].lower() if inbound.words else "fallback")
        return Handled(label, reply)
    return Handled("fallback", None)


def dispatch(inbound: Inbound) -> str | None:
    """The reply to `inbound` (None: no reply)."""
    return handle(inbound).reply


def always_answered(inbound: Inbound) -> bool:
    """STOP (any opt-out) and a bare HELP are answered even from a blocked number: the
    carriers require it, and an opt-out must always work."""
    if opt_out_word(inbound) is not None:
        return True
    return len(inbound.words) == 1 and inbound.words[0] in ALWAYS_ANSWERED


def registered() -> dict[str, Handler]:
    """A copy of the keyword table (for tests and the admin's overview)."""
    return dict(_handlers)


def handlers() -> list[Entry]:
    """The list of handlers, in the order they are asked (for tests)."""
    return list(_chain)


@dataclass(frozen=True)
class _State:
    keywords: dict[str, Handler]
    chain: list[Entry]
    fallback: Handler | None
    default: Handler | None


def snapshot() -> object:
    """Everything registered, to hand back to `restore` (tests that register handlers)."""
    return _State(dict(_handlers), list(_chain), _fallback, _default)


def restore(state: object) -> None:
    """Put the router back as `snapshot` found it."""
    global _fallback, _default
    if not isinstance(state, _State):
        raise TypeError("restore() takes what snapshot() returned")
    _handlers.clear()
    _handlers.update(state.keywords)
    _chain[:] = state.chain
    _fallback, _default = state.fallback, state.default


_chain.extend([Entry(Stage.OPT_OUT, _opt_out, "opt_out", key=(Stage.OPT_OUT, _opt_out)),
               Entry(Stage.KEYWORD, _keyword, None, key=(Stage.KEYWORD, _keyword)),
               Entry(Stage.FALLBACK, fallback, "fallback", key=(Stage.FALLBACK, fallback))])
