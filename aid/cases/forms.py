from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, SelectField, StringField, TextAreaField, TimeField
from wtforms.validators import DataRequired, Length, Optional

from aid.cases.labels import LEGAL_KIND_LABELS, MILESTONE_LABELS, NEED_LABELS
from aid.cases.models import LegalKind, MilestoneKind, Need
from aid.forms import AidForm, MultiCheckboxField
from aid.network.service import active_areas
from aid.phones import PhoneNumber
from aid.volunteers.choices import LANGUAGES

NEED_CHOICES = [(n.value, NEED_LABELS[n]) for n in Need]


class CaseForm(AidForm):
    # Only what helps the family: there is no field for an A-number, a country of birth, an
    # immigration status or a criminal history, and there must never be one.
    contact_name = StringField(
        _l("Family's contact person"), validators=[DataRequired(), Length(max=120)],
        description=_l("Who in the family the team talks to. Encrypted."))
    contact_phone = StringField(
        _l("Their phone"), validators=[Optional(), Length(max=40), PhoneNumber()],
        description=_l("For reminders of dates by text (never the place or any name)."),
        render_kw={"autocomplete": "off", "inputmode": "tel"})
    language = SelectField(_l("Their language"), choices=LANGUAGES, default="es")
    area = SelectField(_l("Area"), coerce=int, validators=[DataRequired()])
    needs = MultiCheckboxField(_l("What the family needs"), choices=NEED_CHOICES)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.area.choices = [(a.id, a.name) for a in active_areas()]


class NoteForm(AidForm):
    body = TextAreaField(
        _l("Note"), validators=[DataRequired(), Length(max=4000)],
        description=_l("Never write an A-number, country of birth, immigration status or "
                       "criminal history here. Write what the team needs to help: calls made, "
                       "what the family asked for, what comes next."))


class MilestoneForm(AidForm):
    kind = SelectField(_l("What"), choices=[(k.value, MILESTONE_LABELS[k])
                                            for k in MilestoneKind])
    day = DateField(_l("Date"), validators=[DataRequired()])
    time = TimeField(_l("Time"), validators=[DataRequired()])
    place = TextAreaField(
        _l("Place (optional)"), validators=[Optional(), Length(max=500)],
        description=_l("Encrypted; seen by the team and copied into the draft shift. Never "
                       "sent by text."))
    remind = BooleanField(_l("Text the family a reminder 72 and 24 hours before"),
                          default=True)
    draft_shift = BooleanField(_l("For a hearing: draft an accompaniment shift"), default=True)


class MemberForm(AidForm):
    volunteer = SelectField(_l("Add a volunteer to the team"), coerce=int,
                            validators=[DataRequired()])


class LinkLegalForm(AidForm):
    entry = SelectField(_l("Link from the directory"), coerce=int, validators=[DataRequired()])


class LegalForm(AidForm):
    kind = SelectField(_l("Kind"), choices=[(k.value, LEGAL_KIND_LABELS[k]) for k in LegalKind])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=160)])
    languages = MultiCheckboxField(_l("Languages they work in"), choices=LANGUAGES)
    takes = MultiCheckboxField(_l("What they take on"), choices=NEED_CHOICES)
    reach = TextAreaField(_l("How to reach them"), validators=[DataRequired(), Length(max=500)],
                          description=_l("Phone, email, hours, who to ask for."))
    notes = TextAreaField(_l("Notes for coordinators"), validators=[Optional(), Length(max=1000)])
    active = BooleanField(_l("Offer this entry on cases"), default=True)
