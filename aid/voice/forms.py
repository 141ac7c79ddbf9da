"""Forms of the voice hotline's staff pages: blocking numbers and the line's settings."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange

from aid.forms import AidForm, BoundedIntegerField
from aid.labels import Labels
from aid.phones import PhoneNumber
from aid.voice.blocks import DAY_CHOICES

DAY_LABELS = Labels({7: _l("A week"), 30: _l("A month"), 90: _l("Three months"), 365: _l("A year")})


def _days_field() -> SelectField:
    return SelectField(_l("For how long"), coerce=int, default=30,
                       choices=[(d, DAY_LABELS[d]) for d in DAY_CHOICES])


class BlockCallForm(AidForm):
    """Block the caller of a call in the log (the number stays hidden)."""

    days = _days_field()


class BlockNumberForm(AidForm):
    phone = StringField(
        _l("Phone number to block"), validators=[DataRequired(), Length(max=32), PhoneNumber()],
        description=_l("Its calls are refused and its texts ignored; STOP and HELP still "
                       "work. The number is stored encrypted and never shown again."),
        render_kw={"autocomplete": "off", "inputmode": "tel"})
    days = _days_field()


class RenewForm(AidForm):
    days = _days_field()


class VoiceSettingsForm(AidForm):
    enabled = BooleanField(
        _l("Answer calls to the hotline number"),
        description=_l("Off: callers hear that the line is closed and are asked to text."))
    greeting_en = TextAreaField(
        _l("Greeting in English"), validators=[Length(max=300)],
        description=_l("Said first on every call. Empty: \u201cYou have reached the (network "
                       "name) hotline.\u201d"))
    greeting_es = TextAreaField(_l("Greeting in Spanish"), validators=[Length(max=300)])
    ring_seconds = BoundedIntegerField(
        _l("Ring for how many seconds"), default=20,
        validators=[DataRequired(), NumberRange(min=5, max=60)],
        description=_l("How long the phones of the people on call ring before the caller is "
                       "offered voicemail."))
    voicemail_seconds = BoundedIntegerField(
        _l("Longest voicemail, in seconds"), default=120,
        validators=[DataRequired(), NumberRange(min=10, max=600)])
