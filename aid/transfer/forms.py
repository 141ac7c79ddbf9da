"""Forms of the import and export pages."""

from __future__ import annotations

import base64
import binascii
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    HiddenField,
    PasswordField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional

from aid.forms import AidForm
from aid.transfer.csvfile import MAX_BYTES

BAD_FILE = {
    "too large": _l("The file is too large: at most 256 KB and 2,000 rows at a time."),
    "not text": _l("This is not a CSV file. Export the sheet as CSV and upload that."),
    "empty": _l("The file is empty."),
    "no header": _l("The first line must name the columns."),
    "too many rows": _l("The file is too large: at most 256 KB and 2,000 rows at a time."),
    "malformed": _l("This is not a CSV file. Export the sheet as CSV and upload that."),
}


class UploadForm(AidForm):
    file = FileField(_l("CSV file"), description=_l(
        "In Google Sheets: File, Download, Comma-separated values (.csv)."))
    upload = SubmitField(_l("Read the file"))


class MappingForm(AidForm):
    """The mapping, the dry run and the import: the file travels in `csv_b64`, base64."""

    csv_b64 = HiddenField()
    digest = HiddenField()
    vetted = BooleanField(_l("I know these people: mark them vetted"))
    reason = TextAreaField(_l("Why they can be trusted"), validators=[Optional(),
                                                                      Length(max=500)],
                           description=_l("Recorded as your vouch for each of them: say how "
                                          "the network knows them."))
    dry_run = SubmitField(_l("Dry run"))
    run = SubmitField(_l("Import"))

    fields: list[str]

    def mapping(self) -> dict[str, str]:
        return {name: self[f"col_{name}"].data or "" for name in self.fields}

    def text(self) -> str | None:
        try:
            raw = base64.b64decode(self.csv_b64.data or "", validate=True)
        except (binascii.Error, ValueError):
            return None
        if len(raw) > MAX_BYTES:
            return None
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            return None


def mapping_form(fields: tuple[str, ...], labels: dict[str, Any], headers: list[str],
                 required: tuple[str, ...], **kwargs: Any) -> MappingForm:
    class Form(MappingForm):
        pass

    choices = [("", _l("(not in the file)"))] + [(str(i), h or f"#{i + 1}")
                                                for i, h in enumerate(headers)]
    for name in fields:
        setattr(Form, f"col_{name}", SelectField(
            labels[name], choices=choices,
            validators=[DataRequired(message=_l("Choose the column that holds this."))]
            if name in required else [Optional()]))
    form = Form(**kwargs)
    form.fields = list(fields)
    return form


def encode(text: str) -> str:
    return base64.b64encode(text.encode("utf-8")).decode("ascii")


class ExportForm(AidForm):
    kind = RadioField(_l("What to export"), validators=[DataRequired()], default="requests")
    personal = BooleanField(_l("Include names, phone numbers and what people wrote"))
    password = PasswordField(_l("Your password"), validators=[Optional(), Length(max=256)],
                             render_kw={"autocomplete": "current-password"})
    code = StringField(_l("Code from your authenticator app"),
                       validators=[Optional(), Length(max=10)],
                       render_kw={"autocomplete": "one-time-code", "inputmode": "numeric"})
    download = SubmitField(_l("Download CSV"))
