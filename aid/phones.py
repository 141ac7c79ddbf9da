"""Phone numbers: parsed and stored as E.164 (`+15550100199`) with `phonenumbers`, everywhere.

Lookups by phone go through the blind index of the E.164 form (see `aid.security.crypto`).
"""

from __future__ import annotations

import phonenumbers
from flask_babel import lazy_gettext as _l
from wtforms import Field, ValidationError

from aid.network.service import current_settings
from aid.security.crypto import blind_index


class BadPhone(ValueError):
    """The text is not a phone number we can reach."""


def normalise_phone(raw: str, region: str = "US") -> str:
    """E.164 form of a number typed in any common way; national numbers use `region`."""
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException as exc:
        raise BadPhone(str(exc)) from exc
    if not phonenumbers.is_valid_number(number):
        raise BadPhone("not a valid number")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def phone_index(e164: str | None) -> str | None:
    """The keyed hash used to find a record by phone without storing the number in clear."""
    return blind_index(e164, "phone")


def display_phone(e164: str) -> str:
    number = phonenumbers.parse(e164, None)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


class PhoneNumber:
    """WTForms validator: accepts an empty field; otherwise rewrites the data to E.164."""

    def __init__(self, region: str | None = None) -> None:
        self.region = region

    def __call__(self, form: object, field: Field) -> None:
        if not field.data or not str(field.data).strip():
            field.data = ""
            return

        region = self.region or current_settings().default_region
        try:
            field.data = normalise_phone(str(field.data), region)
        except BadPhone as exc:
            raise ValidationError(
                _l("This does not look like a phone number. Include the area code.")
            ) from exc
