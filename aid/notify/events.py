"""The kinds of notification and what each one says.

Every text is a sentence about an event and a link: never a name, phone, address or the words
of a request. The link opens the page after sign-in, where the usual access rules decide
what the reader may see. Features pass only these kind names and a path.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

EMAIL, SMS = "email", "sms"
CHANNELS = (EMAIL, SMS)
BOTH = (EMAIL, SMS)


@dataclass(frozen=True)
class Kind:
    name: str
    label: Callable[[], str]
    line: Callable[[dict[str, str]], str]  # the sentence; the link follows it
    channels: tuple[str, ...] = (EMAIL,)  # the default when the person chose nothing
    essential: bool = False  # no unsubscribe (a person's own request, their own shift)
    urgent: bool = False  # ignores quiet hours


def _kind(name: str, label: object, line: Callable[[dict[str, str]], str],
          **options: object) -> Kind:
    return Kind(name, lambda: str(label), line, **options)  # type: ignore[arg-type]


KINDS: dict[str, Kind] = {k.name: k for k in (
    _kind("assigned", _l("A request is assigned to you"),
          lambda p: _("A request was assigned to you:"), channels=BOTH),
    _kind("requester_replied", _l("A requester wrote again"),
          lambda p: _("The person who asked for help sent a new message:"), channels=BOTH),
    _kind("new_request", _l("New requests (coordinators on duty)"),
          lambda p: _("A new request came in:")),
    _kind("urgent_request", _l("New urgent requests (coordinators on duty)"),
          lambda p: _("An urgent request came in:"), channels=BOTH, urgent=True),
    _kind("digest", _l("Daily digest of new requests"),
          lambda p: _("%(count)s new requests came in since the last digest:",
                      count=p.get("count", "0"))),
    _kind("stale_request", _l("Requests nobody has touched"),
          lambda p: _("A request has waited without anyone acting on it:")),
    _kind("applicant_ready", _l("Applicants ready to confirm"),
          lambda p: _("An applicant has enough vouches and is ready to confirm:")),
    _kind("vouch_requested", _l("Someone asks me to vouch for them"),
          lambda p: _("Someone applying to volunteer asks you to vouch for them. Vouch only "
                      "if you know them:")),
    _kind("moderation", _l("Posts awaiting moderation"),
          lambda p: _("A board post is waiting for moderation:")),
    _kind("report_to_verify", _l("Reports to verify"),
          lambda p: _("A new report needs checking:"), urgent=True),
    _kind("report_check", _l("A report I am asked to check"),
          lambda p: _("You are asked to check a report. Go only if it is safe:"),
          urgent=True),
    _kind("shift_changed", _l("My shift changed"),
          lambda p: _("A shift you signed up for changed. New time: %(when)s.",
                      when=p.get("when", "")), channels=BOTH, essential=True),
    _kind("shift_cancelled", _l("My shift was cancelled"),
          lambda p: _("A shift you signed up for was cancelled:"), channels=BOTH,
          essential=True),
    _kind("waitlist_promoted", _l("I got a place from the waitlist"),
          lambda p: _("A place opened and you are now confirmed for a shift:"),
          essential=True),  # by email: the shifts feature texts it with the shift's facts
    _kind("board_answer", _l("Answers to my board post"),
          lambda p: _("Someone answered your post on the board. Open the private link you "
                      "were given when you posted to read it. To answer by text, send BOARD "
                      "%(code)s and your message to this number: they will not see your "
                      "number.", code=p["relay"]) if p.get("relay")
          else _("Someone answered your post on the board. Open the private link you "
                 "were given when you posted to read it.") if p.get("private")
          else _("Someone answered your post on the board. Read it here:"),
          channels=BOTH, essential=True),
    _kind("request_code", _l("My request's reference code"),
          lambda p: _("We got your request. Your code is %(code)s. To check on it, text "
                      "STATUS %(code)s.", code=p.get("code", "")),
          channels=(SMS,), essential=True, urgent=True),
    _kind("case_team", _l("I was added to a case's team"),
          lambda p: _("You were added to the team of a detention-response case:"),
          channels=BOTH, essential=True),
    _kind("case_family_yes", _l("A family on my case asks for company"),
          lambda p: _("The family on a case you are on asked for someone to come with them "
                      "to a date on %(when)s:", when=p.get("when", "")),
          channels=BOTH, essential=True),
    _kind("case_family_no", _l("A family on my case answered NO"),
          lambda p: _("The family on a case you are on answered NO (nobody to come with "
                      "them) for a date on %(when)s. Check in with them:",
                      when=p.get("when", "")), channels=BOTH, essential=True),
    _kind("case_family_silent", _l("A family on my case did not answer"),
          lambda p: _("The family on a case you are on did not answer either reminder for "
                      "a date on %(when)s. Please check in with them:", when=p.get("when", "")),
          channels=BOTH, essential=True),
)}

# Kinds a person can switch off (the rest concern their own request, shift or post).
OPTIONAL = [k for k in KINDS.values() if not k.essential]


def kind(name: str) -> Kind:
    return KINDS[name]
