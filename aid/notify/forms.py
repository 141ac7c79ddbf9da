"""The preferences form: one channel choice per kind, quiet hours, language, on-duty days."""

from __future__ import annotations

import re
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField
from wtforms.validators import Length, Optional, Regexp

from aid.forms import AidForm, MultiCheckboxField
from aid.notify import events

TIME = re.compile(r"^([01]?\d|2[0-3]):[0-5]\d$")
CHOICES = [("email", _l("Email")), ("sms", _l("Text message")), ("both", _l("Both")),
           ("none", _l("Nothing"))]
DAYS = [("0", _l("Monday")), ("1", _l("Tuesday")), ("2", _l("Wednesday")),
        ("3", _l("Thursday")), ("4", _l("Friday")), ("5", _l("Saturday")),
        ("6", _l("Sunday"))]


# Not chosen on the page: to people without an account, folded into new requests, or
# texted by the shifts feature itself (its email comes from here).
FIXED = ("request_code", "digest", "board_answer", "waitlist_promoted")


class PreferencesForm(AidForm):
    quiet_start = StringField(_l("Quiet hours start (HH:MM)"), validators=[
        Optional(), Length(max=5),
        Regexp(TIME.pattern, message=_l("Write a time like 22:00."))])
    quiet_end = StringField(_l("Quiet hours end (HH:MM)"), validators=[
        Optional(), Length(max=5),
        Regexp(TIME.pattern, message=_l("Write a time like 22:00."))])
    language = SelectField(_l("Language of notifications"), choices=[
        ("", _l("Same as the site")), ("en", "English"), ("es", "Español")])
    on_duty = MultiCheckboxField(_l("Days I am on duty"), choices=DAYS)


def preferences_form(**kwargs: Any) -> PreferencesForm:
    """The form with one channel field per kind a person may choose for."""

    class Form(PreferencesForm):
        pass

    for info in events.KINDS.values():
        if info.name in FIXED:
            continue
        choices = CHOICES if not info.essential else CHOICES[:3]
        setattr(Form, f"kind_{info.name}", SelectField(info.label(), choices=choices))
    return Form(**kwargs)


def channel_value(chosen: tuple[str, ...]) -> str:
    if set(chosen) == {"email", "sms"}:
        return "both"
    return chosen[0] if chosen else "none"


def channels_from(value: str) -> list[str]:
    return {"both": ["email", "sms"], "none": []}.get(value, [value])


def minutes(text: str | None) -> int | None:
    if not text:
        return None
    hour, minute = text.split(":")
    return int(hour) * 60 + int(minute)


def hhmm(value: int | None) -> str:
    return "" if value is None else f"{value // 60:02d}:{value % 60:02d}"
