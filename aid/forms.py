"""Form pieces shared by every feature."""

from __future__ import annotations

import hmac
import secrets
import time
from typing import Any

from babel import support
from flask import current_app, session
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from itsdangerous import BadSignature, TimestampSigner
from limits import parse
from wtforms import (
    Field,
    HiddenField,
    IntegerField,
    PasswordField,
    SelectMultipleField,
    StringField,
)
from wtforms.i18n import messages_path
from wtforms.validators import DataRequired, EqualTo, Length
from wtforms.widgets import CheckboxInput, ListWidget

from aid.extensions import limiter
from aid.labels import locale_now
from aid.security.passwords import MAX_LENGTH, MIN_LENGTH


class _WtformsMessages:
    """WTForms' own messages ("This field is required.", "Not a valid choice.") in the
    page's language. Flask-WTF reads their catalogue from disk for every request that builds
    a form; it never changes while the process runs, so it is read once per language."""

    def __init__(self) -> None:
        self._by_locale: dict[str, support.NullTranslations] = {}

    def _catalogue(self) -> support.NullTranslations:
        locale = locale_now() or str(get_locale() or "en")
        found = self._by_locale.get(locale)
        if found is None:
            found = self._by_locale[locale] = support.Translations.load(
                messages_path(), [locale], domain="wtforms")
        return found

    def gettext(self, string: str) -> str:
        return str(self._catalogue().ugettext(string))

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return str(self._catalogue().ungettext(singular, plural, n))


_WTFORMS_MESSAGES = _WtformsMessages()


class AidForm(FlaskForm):
    """The base of every form here: Flask-WTF's (CSRF, file uploads), with WTForms' messages
    from a catalogue read once per language."""

    class Meta(FlaskForm.Meta):
        def get_translations(self, form: Any) -> Any:
            if not current_app.config.get("WTF_I18N_ENABLED", True):
                return super().get_translations(form)
            return _WTFORMS_MESSAGES


class ConfirmForm(AidForm):
    """A bare form: a button whose only content is the CSRF token (every feature's
    one-tap POST actions use it)."""


def add_error(field: Field, message: str) -> None:
    """Show `message` under `field`, as a view does when the service refuses what was sent.

    Call it after the form was validated (its errors are a list by then, though typed as
    any sequence)."""
    field.errors = [*field.errors, message]


def new_password_fields() -> tuple[PasswordField, PasswordField]:
    """A new password and its confirmation, with the same rules everywhere."""
    password = PasswordField(
        _l("New password"),
        validators=[DataRequired(), Length(min=MIN_LENGTH, max=MAX_LENGTH)],
        description=_l("At least %(n)d characters. A few unrelated words work well.", n=MIN_LENGTH),
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("New password again"),
        validators=[DataRequired(), Length(max=MAX_LENGTH),
                    EqualTo("password", message=_l("The two passwords differ."))],
        render_kw={"autocomplete": "new-password"},
    )
    return password, confirm


class MultiCheckboxField(SelectMultipleField):
    """Several choices as checkboxes: easier on a phone than a multiple select."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class HumanCheck:
    """Mix into a public form (`class AskForm(HumanCheck, AidForm)`) and render
    `{{ human_check(form) }}` inside it: a honeypot field people never see, and a signed
    stamp of when the form was shown. A bot fills the honeypot, posts within a moment, or
    replays a stamp; either way the form is shown again with a polite "please send it again"
    and everything typed kept, so a real person who trips it loses nothing, and nothing is
    stored. No third party is involved (no CAPTCHA service learns who visits).

    A stamp is good once (spent in the rate-limit storage, so across processes), only in the
    browser session that was shown the form, and for `AID_FORM_MAX_MINUTES`.
    """

    website = StringField(_l("Leave this field empty"), validators=[Length(max=200)])
    started = HiddenField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.started.data:
            self.started.data = _stamp()

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)  # type: ignore[misc]
        human = not self.website.data and _stamp_ok(self.started.data or "")
        # Whatever happened, a page shown again carries a fresh stamp (this one is spent).
        self.started.data, self.website.data = _stamp(), ""
        if not human:
            self.form_errors.append(_l(  # type: ignore[attr-defined]
                "Sorry, we could not be sure that came from a person. Please check what you "
                "wrote and send it again."))
            return False
        return valid


STAMP_SESSION_KEY = "form_key"


def clock() -> float:
    """Seconds since the epoch for the fill-time check; tests move it instead of sleeping."""
    return time.time()


class _FormSigner(TimestampSigner):
    def get_timestamp(self) -> int:
        return int(clock())


def _signer() -> TimestampSigner:
    return _FormSigner(current_app.config["SECRET_KEY"], salt="aid form shown")


def _session_key() -> str:
    if STAMP_SESSION_KEY not in session:
        session[STAMP_SESSION_KEY] = secrets.token_urlsafe(12)
    return str(session[STAMP_SESSION_KEY])


def _stamp() -> str:
    return _signer().sign(f"{secrets.token_urlsafe(12)}.{_session_key()}").decode()


def _stamp_ok(stamp: str) -> bool:
    """Signed by us, for this session, not too old, not too fresh, and not used before."""
    cfg = current_app.config
    minimum = cfg.get("FORM_MIN_SECONDS", 0)
    if not minimum:
        return True  # the check is off (AID_FORM_MIN_SECONDS=0)
    try:
        value, shown = _signer().unsign(stamp, max_age=cfg["FORM_MAX_MINUTES"] * 60,
                                        return_timestamp=True)
    except BadSignature:  # never shown the form, made up a stamp, or too old
        return False
    nonce, _, key = value.decode().partition(".")
    if not hmac.compare_digest(key, _session_key()):
        return False
    if clock() - shown.timestamp() < minimum:
        return False
    once = parse(f"1 per {max(1, cfg['FORM_MAX_MINUTES'])} minutes")
    return bool(limiter.limiter.hit(once, "form_stamp", nonce))


class BoundedIntegerField(IntegerField):
    """An IntegerField that refuses absurdly long numbers as a normal form error: WTForms'
    NumberRange turns a 400-digit number into a float and crashes (a 500) otherwise."""

    MAX_DIGITS = 9

    def process_formdata(self, valuelist: list[Any]) -> None:
        if valuelist and len(str(valuelist[0]).strip().lstrip("+-")) > self.MAX_DIGITS:
            self.data = None
            raise ValueError(_l("That number is too large."))
        super().process_formdata(valuelist)
