"""The keywords the SMS feature answers itself: opt-out, opt-in/JOIN and HELP.

Registered with the router at import (aid.sms imports this module). The opt-out family is
matched wherever a text asks to stop ("stop please", "por favor ya no, BAJA"; see
`router.opt_out_word`): an opt-out by any reasonable means counts. When such a text also says
something else, it is still handed to the hotline (whose reply will be suppressed), so a plea
for help that starts with "Stop!" is not lost.
"""

from __future__ import annotations

from flask_babel import force_locale
from flask_babel import gettext as _

from aid.network.service import active_areas, current_settings
from aid.sms import router, service, subscriptions
from aid.sms.models import SubscriberState
from aid.sms.router import Inbound, on_keywords
from aid.sms.words import OPT_OUT_COMPANIONS, OPT_OUT_WORDS

JOIN_WORDS = ("JOIN", "START", "UNIRSE", "UNSTOP")
HELP_WORDS = ("HELP", "INFO", "AYUDA")


def _network() -> str:
    return current_settings().network_name


@on_keywords(*OPT_OUT_WORDS)
def opt_out(inbound: Inbound) -> str | None:
    service.suppress(inbound.phone, "keyword")
    if any(w not in OPT_OUT_WORDS and w not in OPT_OUT_COMPANIONS for w in inbound.words):
        router.fallback(inbound)  # any reply it makes is refused: the number is suppressed now
    with force_locale(inbound.locale):
        return _("%(network)s: you will get no more texts from us. Text START to get them "
                 "again.", network=_network())


@on_keywords(*JOIN_WORDS)
def join(inbound: Inbound) -> str | None:
    area = subscriptions.match_area(inbound.words[1:]) if len(inbound.words) > 1 else None
    existing = subscriptions.find_subscriber(inbound.phone)
    if existing is not None and existing.status == SubscriberState.ACTIVE:
        choices = subscriptions.Choices(area_ids=[a.id for a in existing.areas],
                                        topics=existing.topics, language=inbound.locale)
    else:
        choices = subscriptions.Choices(language=inbound.locale)
    if area is not None and area.id not in choices.area_ids:
        choices.area_ids.append(area.id)
    sub = subscriptions.subscribe(inbound.phone, choices, "sms")
    reply = subscriptions.welcome_text(sub)
    if len(inbound.words) > 1 and area is None:
        names = ", ".join(a.name for a in active_areas())
        with force_locale(inbound.locale):
            reply += " " + _("Areas: %(areas)s.", areas=names)
    return reply


@on_keywords(*HELP_WORDS)
def help_(inbound: Inbound) -> str | None:
    # Only the bare keyword is a HELP request: "ayuda, la migra está aquí" is a plea for help
    # and goes to the hotline.
    if len(inbound.words) > 1:
        return router.fallback(inbound)
    return help_text(inbound.locale)


def help_text(locale: str) -> str:
    settings = current_settings()
    with force_locale(locale):
        text = _("%(network)s: alerts and a hotline for our neighbours. Text JOIN for alerts, "
                 "STOP to stop.", network=settings.network_name)
        if settings.hotline_number:
            text += " " + _("Need help? Call %(number)s.", number=settings.hotline_number)
        return text


def default_reply(inbound: Inbound) -> str | None:
    """Until the hotline takes free text: say what this number understands."""
    return help_text(inbound.locale)


router.set_default(default_reply)
