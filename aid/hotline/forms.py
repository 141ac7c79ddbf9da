"""Hotline forms. The public form asks only what helps us help: never immigration status,
never an exact address."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from aid.forms import AidForm, HumanCheck, add_error
from aid.hotline.models import Category, Contact, State, Urgency
from aid.hotline.service import MAX_DETAILS, MAX_NOTE, MAX_REPLY
from aid.labels import Labels
from aid.network.service import LANGUAGE_NAMES, active_areas, current_settings
from aid.phones import PhoneNumber
from aid.privacy.retention import retention_days

CATEGORY_LABELS = Labels({
    Category.LEGAL: _l("Legal help"),
    Category.MEDICAL: _l("Medical"),
    Category.HOUSING: _l("Housing"),
    Category.FOOD: _l("Food"),
    Category.MONEY: _l("Money"),
    Category.ACCOMPANIMENT: _l("Someone to go with me"),
    Category.SAFETY: _l("Safety, urgent danger"),
    Category.OTHER: _l("Something else"),
})
URGENCY_LABELS = Labels({
    Urgency.NOW: _l("Today: it cannot wait"),
    Urgency.DAYS: _l("In the next few days"),
    Urgency.WEEKS: _l("It can wait a week or more"),
})
CONTACT_LABELS = Labels({
    Contact.SMS: _l("Text me (SMS)"),
    Contact.CALL: _l("Call me"),
    Contact.CHECK_BACK: _l("I will check back here with my code"),
})
STATE_LABELS = Labels({
    State.NEW: _l("New"),
    State.TRIAGED: _l("Triaged"),
    State.ASSIGNED: _l("Assigned"),
    State.IN_PROGRESS: _l("In progress"),
    State.WAITING: _l("Waiting"),
    State.RESOLVED: _l("Resolved"),
    State.DUPLICATE: _l("Closed: duplicate"),
    State.SPAM: _l("Closed: spam"),
    State.WITHDRAWN: _l("Closed: withdrawn"),
})
# What a requester is told: plain words, nothing about who is working on it.
PUBLIC_STATE_LABELS = Labels({
    State.NEW: _l("Received. A coordinator will look at it soon."),
    State.TRIAGED: _l("A coordinator has read it and is finding the right person."),
    State.ASSIGNED: _l("Someone from the network is working on it."),
    State.IN_PROGRESS: _l("Someone from the network is working on it."),
    State.WAITING: _l("Waiting: we may need to hear from you, or from someone else."),
    State.RESOLVED: _l("Resolved. If you still need help, please ask again."),
    State.DUPLICATE: _l("Closed."),
    State.SPAM: _l("Closed."),
    State.WITHDRAWN: _l("Closed."),
})


def _choices(labels: Mapping[Any, Any]) -> list[tuple[str, str]]:
    return [(str(k), v) for k, v in labels.items()]


class HelpForm(HumanCheck, AidForm):
    category = RadioField(_l("What kind of help do you need?"),
                          choices=_choices(CATEGORY_LABELS), validators=[InputRequired()])
    urgency = RadioField(_l("How soon do you need it?"),
                         choices=_choices(URGENCY_LABELS), validators=[InputRequired()])
    area = SelectField(_l("Area"), coerce=str, validators=[InputRequired()],
                       description=_l("Only the neighbourhood, never your address."))
    language = SelectField(_l("Language we should use"), validators=[InputRequired()])
    contact_method = RadioField(_l("How should we reach you?"),
                                choices=_choices(CONTACT_LABELS), validators=[InputRequired()])
    name = StringField(_l("A name we can call you (optional)"),
                       validators=[Optional(), Length(max=80)],
                       description=_l("Any name is fine. It does not have to be your real one."),
                       render_kw={"autocomplete": "off"})
    phone = StringField(_l("Phone number (optional)"),
                        validators=[Length(max=30), PhoneNumber()],
                        description=_l("Needed if you want a text or a call."),
                        render_kw={"type": "tel", "autocomplete": "off", "inputmode": "tel"})
    details = TextAreaField(_l("What do you need?"),
                            validators=[DataRequired(), Length(max=MAX_DETAILS)],
                            description=_l("A few words are enough. Do not write an exact "
                                           "address or anyone's immigration status."))
    consent = BooleanField(validators=[DataRequired(_l("We need your agreement to keep this "
                                                       "information while we help you."))])

    def __init__(self, *args: object, by_phone: bool = False, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        days = retention_days("requests")
        self.consent.label.text = (
            _l("The caller agreed that the network keeps this while helping them, and deletes "
               "it %(days)d days after the request ends.", days=days) if by_phone else
            _l("I agree that the network keeps what I wrote while helping me, and deletes it "
               "%(days)d days after my request ends.", days=days))
        self.area.choices = [("", _l("Choose an area")),
                             *((str(a.id), a.name) for a in active_areas()),
                             ("other", _l("Another area, or I prefer not to say"))]
        languages = current_settings().language_list or ["en"]
        self.language.choices = [(c, LANGUAGE_NAMES.get(c, c)) for c in languages]

    def validate(self, extra_validators: object = None) -> bool:
        ok = super().validate(extra_validators)
        wants_contact = self.contact_method.data in (Contact.SMS, Contact.CALL)
        if ok and wants_contact and not self.phone.data:
            add_error(self.phone, _l("Add a phone number so we can reach you, or choose "
                                     "to check back here."))
            return False
        return ok

    @property
    def area_id(self) -> int | None:
        return int(self.area.data) if str(self.area.data).isdigit() else None


class StatusLookupForm(AidForm):
    code = StringField(_l("Reference code"), validators=[DataRequired(), Length(max=20)],
                       description=_l("Like HX7-4KP. Letters and numbers only; the dash is "
                                      "optional."),
                       render_kw={"autocomplete": "off", "autocapitalize": "characters"})


class TriageForm(AidForm):
    category = SelectField(_l("Category"), choices=_choices(CATEGORY_LABELS))
    urgency = SelectField(_l("Urgency"), choices=_choices(URGENCY_LABELS))
    area = SelectField(_l("Area"), coerce=str)
    language = SelectField(_l("Language"))

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.area.choices = [("", _l("Not known")),
                             *((str(a.id), a.name) for a in active_areas())]
        self.language.choices = [(c, LANGUAGE_NAMES.get(c, c))
                                 for c in current_settings().language_list or ["en"]]


class StatusForm(AidForm):
    status = SelectField(_l("Status"), choices=_choices(STATE_LABELS))


class AssignForm(AidForm):
    volunteer = SelectField(_l("Volunteer"), coerce=str, validators=[DataRequired()])


class NoteForm(AidForm):
    body = TextAreaField(_l("Note"), validators=[DataRequired(), Length(max=MAX_NOTE)],
                         description=_l("Seen by coordinators and the assigned volunteer."))


class MergeForm(AidForm):
    code = StringField(_l("Reference code of the request this one repeats"),
                       validators=[DataRequired(), Length(max=20)])


class ReplyForm(AidForm):
    message = TextAreaField(_l("Text message to the requester"),
                         validators=[DataRequired(), Length(max=MAX_REPLY)],
                         description=_l("Sent from the hotline number. Their number stays "
                                        "private. Keep it short."))


class WithdrawForm(HumanCheck, AidForm):
    code = StringField(_l("Reference code"), validators=[DataRequired(), Length(max=20)],
                       description=_l("The code you got when you asked for help, e.g. K7P2QX."))
    phone = StringField(_l("The phone number you gave"),
                        validators=[DataRequired(), Length(max=40), PhoneNumber()])


class SmsCodeForm(AidForm):
    code = StringField(_l("Code from the text message"),
                       validators=[DataRequired(), Length(max=12)],
                       render_kw={"autocomplete": "one-time-code", "inputmode": "numeric"})


class SavedReplyForm(AidForm):
    language = SelectField(_l("Language"), validators=[InputRequired()])
    title = StringField(_l("Short name"), validators=[DataRequired(), Length(max=60)],
                        description=_l("What the button says, e.g. Received."))
    body = TextAreaField(_l("Reply"), validators=[DataRequired(), Length(max=MAX_REPLY)],
                         description=_l("{code} becomes the request's reference code. Never "
                                        "write anyone's name or immigration status here."))

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.language.choices = [(c, LANGUAGE_NAMES.get(c, c))
                                 for c in current_settings().language_list or ["en"]]
