from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired, Length

from aid.forms import AidForm, new_password_fields


class LoginForm(AidForm):
    # No format check at sign-in: a typo simply matches no account.
    email = EmailField(_l("Email"), validators=[DataRequired(), Length(max=254)],
                       render_kw={"autocomplete": "username"})
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=256)],
                             render_kw={"autocomplete": "current-password"})
    next = HiddenField()


class CodeForm(AidForm):
    code = StringField(
        _l("Code"),
        validators=[DataRequired(), Length(max=20)],
        description=_l("The 6-digit code from your authenticator app, or a recovery code."),
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True},
    )


class EnrolForm(AidForm):
    code = StringField(
        _l("Code shown by your app"),
        validators=[DataRequired(), Length(max=10)],
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric"},
    )


class ChangePasswordForm(AidForm):
    current = PasswordField(_l("Current password"), validators=[DataRequired(), Length(max=256)],
                            render_kw={"autocomplete": "current-password"})
    password, confirm = new_password_fields()


class DuressForm(AidForm):
    """A second password that signs in to an empty workspace and alerts the others."""

    current = PasswordField(_l("Current password"), validators=[DataRequired(), Length(max=256)],
                            render_kw={"autocomplete": "current-password"})
    password, confirm = new_password_fields()
    lock = BooleanField(_l("Also lock my account when it is used (an admin unlocks it)"))


class SetupForm(AidForm):
    password, confirm = new_password_fields()


class PasswordCheckForm(AidForm):
    password = PasswordField(_l("Your password"), validators=[DataRequired(), Length(max=256)],
                             render_kw={"autocomplete": "current-password"})
