from __future__ import annotations

import phonenumbers
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, SelectField, StringField, TextAreaField
from wtforms.validators import (
    DataRequired,
    Email,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from aid.auth.models import ROLE_LABELS, STATUS_LABELS, Role
from aid.forms import AidForm, BoundedIntegerField, MultiCheckboxField

REGIONS = sorted(phonenumbers.SUPPORTED_REGIONS)


# Zones people live in (IANA names), most used first for a US network.
TIMEZONES = [(z, z.replace("_", " ")) for z in (
    "America/New_York", "America/Chicago", "America/Denver", "America/Phoenix",
    "America/Los_Angeles", "America/Anchorage", "Pacific/Honolulu", "America/Puerto_Rico",
    "America/Mexico_City", "America/Toronto", "Europe/Madrid", "UTC")]


class SettingsForm(AidForm):
    network_name = StringField(_l("Network name"), validators=[DataRequired(), Length(max=80)])
    hotline_number = StringField(
        _l("Hotline number"), validators=[Optional(), Length(max=20)],
        description=_l("The number people call or text, e.g. +1 503 555 0142."),
    )
    default_region = SelectField(_l("Default phone region"), choices=[(r, r) for r in REGIONS])
    languages = MultiCheckboxField(
        _l("Languages the network serves"),
        choices=[("en", "English"), ("es", "Español")], validators=[DataRequired()],
    )
    timezone = SelectField(
        _l("Time zone"), choices=TIMEZONES,
        description=_l("Dates and times on every page and in texts are shown in this zone."))
    code_of_conduct = TextAreaField(_l("Code of conduct"),
                                    validators=[DataRequired(), Length(max=8000)])
    code_countries = StringField(
        _l("Other countries whose numbers may get a code by text"),
        validators=[Optional(), Length(max=120)],
        description=_l("Two-letter country codes, separated by commas (e.g. MX, GT). Codes are "
                       "texted only to the default region's numbers and these: texts to other "
                       "countries can cost a lot and are a known kind of fraud."))
    surge = BooleanField(
        _l("Surge: we are in an emergency"),
        description=_l("Raises the limit on how many help requests the website takes in an "
                       "hour. Turn it off when things calm down."))

    verifiers_needed = BoundedIntegerField(
        _l("People needed to confirm a report"), default=1,
        validators=[Optional(), NumberRange(min=1, max=5)],
        description=_l("How many different responders must confirm a report before alerts "
                       "call it confirmed. 2 is recommended; with fewer, alerts say "
                       "\"unconfirmed, be careful\"."))
    report_hours = BoundedIntegerField(
        _l("Hours a report stays current"), default=4,
        validators=[Optional(), NumberRange(min=1, max=72)],
        description=_l("Unless someone confirms it again, a report expires after this and "
                       "can no longer be sent as an alert."))
    merge_minutes = BoundedIntegerField(
        _l("Minutes apart for reports to be offered for merging"), default=60,
        validators=[Optional(), NumberRange(min=5, max=720)],
        description=_l("Reports from the same area this close in time may be the same event."))

    def validate_code_countries(self, field: StringField) -> None:
        codes = [c.strip().upper() for c in (field.data or "").split(",") if c.strip()]
        if any(c not in phonenumbers.SUPPORTED_REGIONS for c in codes):
            raise ValidationError(_l("Use two-letter country codes, e.g. MX, GT."))
        field.data = ",".join(dict.fromkeys(codes))
    code_of_conduct_es = TextAreaField(
        _l("Code of conduct in Spanish"), validators=[Optional(), Length(max=8000)],
        description=_l("Shown to volunteers who read the site in Spanish; left empty, they see "
                       "the English text."))

    def validate_hotline_number(self, field: StringField) -> None:
        if not field.data:
            return
        try:
            number = phonenumbers.parse(field.data, self.default_region.data)
        except phonenumbers.NumberParseException as exc:
            raise ValidationError(_l("This is not a phone number.")) from exc
        if not phonenumbers.is_valid_number(number):
            raise ValidationError(_l("This is not a valid phone number."))
        field.data = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


class AreaForm(AidForm):
    name = StringField(_l("New area"), validators=[DataRequired(), Length(max=80)])


ROLE_CHOICES = [(role.value, label) for role, label in ROLE_LABELS.items()]
STATUS_CHOICES = [(status.value, label) for status, label in STATUS_LABELS.items()]


class NewUserForm(AidForm):
    email = EmailField(_l("Email"), validators=[DataRequired(), Email(), Length(max=254)])
    display_name = StringField(_l("Name they go by"), validators=[DataRequired(), Length(max=80)])
    role = SelectField(_l("Role"), choices=ROLE_CHOICES, default=Role.COORDINATOR.value)


class UserUpdateForm(AidForm):
    role = SelectField(_l("Role"), choices=ROLE_CHOICES)
    status = SelectField(_l("Status"), choices=STATUS_CHOICES)
