"""Forms of the phone tree pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import PasswordField, RadioField, StringField, TextAreaField
from wtforms.validators import DataRequired, EqualTo, Length

from aid.forms import AidForm


class PhoneTreeDownloadForm(AidForm):
    password = PasswordField(_l("Your password"), validators=[DataRequired(), Length(max=256)],
                             render_kw={"autocomplete": "current-password"})
    code = StringField(_l("Code from your authenticator app"),
                       validators=[DataRequired(), Length(max=10)],
                       render_kw={"autocomplete": "one-time-code", "inputmode": "numeric"})
    passphrase = PasswordField(
        _l("Passphrase for the file"), validators=[DataRequired(), Length(min=12, max=256)],
        description=_l("At least 12 characters. Tell it to the people who keep a copy, "
                       "by voice, never in the same message as the file."),
        render_kw={"autocomplete": "new-password"})
    confirm = PasswordField(_l("Passphrase again"), validators=[
        DataRequired(), Length(max=256),
        EqualTo("passphrase", message=_l("The two passphrases differ."))],
        render_kw={"autocomplete": "new-password"})
    fmt = RadioField(_l("Format"), default="html", choices=[
        ("html", _l("A page to print")), ("csv", _l("A spreadsheet (CSV)"))])


class ProceduresForm(AidForm):
    procedures = TextAreaField(_l("Hotline procedures"), validators=[Length(max=20000)],
                               description=_l("What the network does by phone when Aid is gone: "
                                              "who answers the hotline, how to pass on a call, "
                                              "who to call first."))
