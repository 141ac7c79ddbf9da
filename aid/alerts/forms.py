"""Alert forms: the public report, verification, hotline-to-report, and compose (one body
field per network language, built when the form is made)."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    MultipleFileField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)

from aid.alerts.kinds import AGENCIES
from aid.alerts.kinds import choices as kind_choices
from aid.alerts.labels import CERTAINTY, REPORT_STATE_LABELS, SEEN, SEVERITY, URGENCY
from aid.alerts.photos import MAX_BYTES, MAX_PHOTOS
from aid.alerts.reports import confirmed_reports
from aid.alerts.service import Draft
from aid.forms import AidForm, BoundedIntegerField, MultiCheckboxField
from aid.network.service import LANGUAGE_LABELS, active_areas, current_settings
from aid.sms.subscriptions import TOPICS

EXPIRES = [("1", _l("1 hour")), ("3", _l("3 hours")), ("6", _l("6 hours")),
           ("12", _l("12 hours")), ("24", _l("1 day")), ("48", _l("2 days"))]


def _area_choices() -> list[tuple[str, Any]]:
    return [("", _l("Not sure")), *((str(a.id), a.name) for a in active_areas())]


def _count_field(label: Any) -> BoundedIntegerField:
    return BoundedIntegerField(label, validators=[Optional(), NumberRange(min=0, max=999)],
                               render_kw={"inputmode": "numeric"},
                               description=_l("Leave empty if you do not know."))


class ReportForm(AidForm):
    kind = RadioField(_l("What is happening?"), choices=list(TOPICS.items()),
                      validators=[InputRequired()])
    activity = RadioField(_l("What kind of activity?"), default="other")
    area = SelectField(_l("Area"), coerce=str, validators=[Optional()])
    place = StringField(_l("Roughly where?"), validators=[Optional(), Length(max=200)],
                        description=_l("A corner, a landmark or a business. Never anyone's "
                                       "home address or name."),
                        render_kw={"autocomplete": "off"})
    seen = RadioField(_l("When?"), choices=list(SEEN.items()), default="now",
                      validators=[InputRequired()])
    officers = _count_field(_l("How many officers?"))
    vehicles = _count_field(_l("How many vehicles?"))
    agency = SelectField(_l("Which agency, if you know?"), choices=list(AGENCIES.items()),
                         default="", validators=[Optional()])
    vehicle_info = TextAreaField(
        _l("Vehicles: descriptions and plates"), validators=[Optional(), Length(max=500)],
        description=_l("For example: grey van, no markings, plate 7ABC123."),
        render_kw={"rows": 2, "autocomplete": "off"})
    details = TextAreaField(_l("What did you see?"), validators=[DataRequired(),
                                                                  Length(max=2000)],
                            description=_l("Vehicles, uniforms, how many people. Do not "
                                           "write anyone's name or immigration status."))
    photos = MultipleFileField(
        _l("Photos (optional, up to 3)"),
        description=_l("Only if it was safe to take them. We remove the place, time and "
                       "camera hidden in the file. Avoid faces of neighbours."),
        render_kw={"accept": "image/jpeg,image/png,image/webp"})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.area.choices = _area_choices()
        self.activity.choices = kind_choices()

    @property
    def area_id(self) -> int | None:
        return int(self.area.data) if str(self.area.data or "").isdigit() else None

    def photo_bytes(self) -> list[bytes]:
        """The uploaded files' bytes (empty file inputs dropped), at most MAX_BYTES + 1 read
        from each so a huge one is refused without being held whole."""
        files = [f for f in (self.photos.data or []) if f and getattr(f, "filename", "")]
        return [f.read(MAX_BYTES + 1) for f in files]

    def validate_photos(self, field: MultipleFileField) -> None:
        files = [f for f in (field.data or []) if f and getattr(f, "filename", "")]
        if len(files) > MAX_PHOTOS:
            raise ValidationError(_l("At most 3 photos."))


class VerifyForm(AidForm):
    outcome = RadioField(_l("What did you find?"), validators=[InputRequired()],
                         choices=[("confirmed", _l("Confirmed: I saw it myself")),
                                  ("probable", _l("Probable: signs of it, or people there "
                                                  "told me")),
                                  ("not_seen", _l("Not seen: nothing there when I looked")),
                                  ("false", _l("False: nothing there, or not what was said"))])
    note = TextAreaField(_l("Note"), validators=[DataRequired(), Length(max=1000)],
                         description=_l("What you saw or who you spoke to. No names."))


class MergeForm(AidForm):
    into = SelectField(_l("The same event as"), coerce=str, validators=[DataRequired()])


class KindForm(AidForm):
    name = StringField(_l("New kind (English)"), validators=[DataRequired(), Length(max=60)])
    name_es = StringField(_l("In Spanish"), validators=[Optional(), Length(max=60)])
    topic = SelectField(_l("Alert topic"), choices=list(TOPICS.items()), default="enforcement")


class FromRequestForm(AidForm):
    kind = SelectField(_l("Kind of report"), choices=list(TOPICS.items()))


def _field_name(code: str) -> str:
    return "body_" + "".join(ch if ch.isalnum() else "_" for ch in code)


class ComposeForm(AidForm):
    basis_report = SelectField(_l("Confirmed report"), coerce=str, validators=[Optional()])
    firsthand = TextAreaField(
        _l("Or: what you saw yourself"), validators=[Optional(), Length(max=1000)],
        description=_l("Only if you are a witness. It is recorded as your first-hand "
                       "statement."))
    areas = MultiCheckboxField(_l("Areas"), coerce=int,
                               description=_l("None: the whole network."))
    topics = MultiCheckboxField(_l("Topics"), choices=list(TOPICS.items()),
                                validators=[DataRequired(_l("Choose at least one topic."))])
    severity = RadioField(_l("How serious?"), choices=list(SEVERITY.items()),
                          default="Severe", validators=[InputRequired()])
    urgency = RadioField(_l("How soon must people act?"), choices=list(URGENCY.items()),
                         default="Immediate", validators=[InputRequired()])
    certainty = RadioField(_l("How sure are we?"), choices=list(CERTAINTY.items()),
                           default="Observed", validators=[InputRequired()])
    link = StringField(_l("Link (optional)"), validators=[
        Optional(), Length(max=300),
        Regexp(r"^https://[^\s<>\"']+$", message=_l("A full https:// address."))],
        description=_l("Added on its own line; counted in the segments."))
    expires = SelectField(_l("Current for"), choices=EXPIRES, default="6")
    public = BooleanField(_l("Publish on the public feed (Atom and CAP) once sent"))
    preview = SubmitField(_l("Preview"))
    save = SubmitField(_l("Save draft"))

    languages: list[str]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.areas.choices = [(a.id, a.name) for a in active_areas()]
        self.basis_report.choices = [("", _l("None"))] + [
            (str(r.id), f"#{r.id} · {TOPICS.get(r.kind, r.kind)} · "
                        f"{REPORT_STATE_LABELS[r.status]} · {r.created_at:%Y-%m-%d %H:%M}")
            for r in confirmed_reports()]

    def body_fields(self) -> list[tuple[str, Any]]:
        return [(code, self[_field_name(code)]) for code in self.languages]

    def draft(self) -> Draft:
        report = self.basis_report.data
        return Draft(
            bodies={code: f.data or "" for code, f in self.body_fields()},
            area_ids=list(self.areas.data or []), topics=list(self.topics.data or []),
            severity=self.severity.data, urgency=self.urgency.data,
            certainty=self.certainty.data, link=self.link.data or "",
            expires_hours=int(self.expires.data or 6), public=bool(self.public.data),
            report_id=int(report) if str(report or "").isdigit() else None,
            firsthand=self.firsthand.data or "")


def compose_form(**kwargs: Any) -> ComposeForm:
    """A compose form with a body field per network language; the first is required."""
    languages = current_settings().language_list or ["en"]

    class Form(ComposeForm):
        pass

    for i, code in enumerate(languages):
        name = LANGUAGE_LABELS.get(code, code)
        setattr(Form, _field_name(code), TextAreaField(
            _l("Text in %(language)s", language=name),
            validators=[DataRequired() if i == 0 else Optional(), Length(max=1600)],
            description="" if i == 0 else _l("Optional: without it, these subscribers get "
                                             "the first language's text."),
            render_kw={"rows": 4, "lang": code}))
    form = Form(**kwargs)
    form.languages = languages
    return form


class CorrectForm(AidForm):
    kind = RadioField(_l("What is it?"), validators=[InputRequired()], default="update",
                      choices=[("update", _l("An update: news on the same situation")),
                               ("retraction", _l("A retraction: it was a false alarm"))])
    save = SubmitField(_l("Save draft"))

    languages: list[str]

    def body_fields(self) -> list[tuple[str, Any]]:
        return [(code, self[_field_name(code)]) for code in self.languages]


def correct_form(original_languages: list[str], **kwargs: Any) -> CorrectForm:
    """A body field per language the original was written in: each of its recipients gets
    the correction in the language they got the original in."""

    class Form(CorrectForm):
        pass

    for i, code in enumerate(original_languages):
        setattr(Form, _field_name(code), TextAreaField(
            _l("Text in %(language)s", language=LANGUAGE_LABELS.get(code, code)),
            validators=[DataRequired() if i == 0 else Optional(), Length(max=1600)],
            render_kw={"rows": 3, "lang": code}))
    form = Form(**kwargs)
    form.languages = original_languages
    return form
