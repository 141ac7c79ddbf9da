from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectField, TextAreaField, TimeField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from aid.forms import AidForm, BoundedIntegerField
from aid.network.service import active_areas
from aid.shifts.labels import KIND_LABELS, OUTCOMES, STATUS_LABELS
from aid.shifts.models import ShiftKind, ShiftStatus
from aid.volunteers.choices import LANGUAGES, SKILLS
from aid.volunteers.forms import MultiCheckboxField


class ShiftForm(AidForm):
    kind = SelectField(_l("Type"), choices=[(k.value, KIND_LABELS[k]) for k in ShiftKind])
    status = SelectField(
        _l("Visibility"), choices=[(s.value, STATUS_LABELS[s]) for s in ShiftStatus],
        default=ShiftStatus.DRAFT.value,
        description=_l("Drafts are seen only by coordinators. Open shifts take sign-ups."))
    day = DateField(_l("Date"), validators=[DataRequired()])
    time = TimeField(_l("Start time"), validators=[DataRequired()])
    duration_minutes = BoundedIntegerField(_l("Duration in minutes"), default=120,
                                    validators=[DataRequired(), NumberRange(15, 720)])
    area = SelectField(_l("Area"), coerce=int, validators=[DataRequired()])
    needed = BoundedIntegerField(
        _l("Volunteers needed"), validators=[Optional(), NumberRange(1, 50)],
        description=_l("Leave empty to use the default for this type."))
    skills = MultiCheckboxField(_l("Skills wanted"), choices=SKILLS)
    languages = MultiCheckboxField(_l("Languages wanted"), choices=LANGUAGES)
    summary = TextAreaField(
        _l("What the shift is"), validators=[DataRequired(), Length(max=500)],
        description=_l("Every vetted volunteer reads this: no names, addresses or case details."))
    meeting_place = TextAreaField(
        _l("Exact meeting place and contact on the day"), validators=[Length(max=1000)],
        description=_l("Encrypted. Shown only to volunteers confirmed on this shift."))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.area.choices = [(a.id, a.name) for a in active_areas()]

    def validate_meeting_place(self, field: TextAreaField) -> None:
        if self.kind.data == ShiftKind.HOTLINE:
            return  # phone duty: there is nowhere to meet
        if self.status.data == ShiftStatus.OPEN and not (field.data or "").strip():
            raise ValidationError(_l("An open shift needs its meeting place."))


class CapacityForm(AidForm):
    """One number per shift type; fields are added per kind in the view's order."""


for _kind in ShiftKind:
    setattr(CapacityForm, _kind.value, BoundedIntegerField(
        KIND_LABELS[_kind], validators=[DataRequired(), NumberRange(1, 50)]))


class ReportForm(AidForm):
    outcome = SelectField(_l("Outcome"), choices=list(OUTCOMES.items()))
    summary = TextAreaField(_l("What happened"), validators=[DataRequired(), Length(max=2000)])
    next_date = DateField(_l("Next date, if any"), validators=[Optional()])
    follow_ups = TextAreaField(_l("Follow-ups for coordinators"),
                               validators=[Optional(), Length(max=2000)])
