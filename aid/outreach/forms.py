"""The bulk text form: one text per network language (the first required)."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import SubmitField, TextAreaField
from wtforms.validators import Length, Optional

from aid.forms import AidForm
from aid.network.service import LANGUAGE_NAMES, current_settings
from aid.outreach.service import MAX_BODY


def _field_name(code: str) -> str:
    return "body_" + "".join(ch if ch.isalnum() else "_" for ch in code)


class BulkForm(AidForm):
    preview = SubmitField(_l("Preview"))
    send = SubmitField(_l("Send"))

    languages: list[str]

    def body_fields(self) -> list[tuple[str, Any]]:
        return [(code, self[_field_name(code)]) for code in self.languages]

    def bodies(self) -> dict[str, str]:
        return {code: f.data or "" for code, f in self.body_fields()}

    def validate(self, extra_validators: Any = None) -> bool:
        ok = super().validate(extra_validators)
        if self.send.data and not any(text.strip() for text in self.bodies().values()):
            first = self.body_fields()[0][1]
            first.errors = [*first.errors, _l("Write the text in at least one language.")]
            return False
        return ok


def bulk_form(**kwargs: Any) -> BulkForm:
    languages = current_settings().language_list or ["en"]

    class Form(BulkForm):
        pass

    for i, code in enumerate(languages):
        setattr(Form, _field_name(code), TextAreaField(
            _l("Text in %(language)s", language=LANGUAGE_NAMES.get(code, code)),
            validators=[Optional(), Length(max=MAX_BODY)],
            description="" if i == 0 else _l("Optional: without it, these volunteers get "
                                             "a text written in another language."),
            render_kw={"rows": 4, "lang": code, "maxlength": MAX_BODY}))
    form = Form(**kwargs)
    form.languages = languages
    return form
