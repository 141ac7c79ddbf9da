from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    EmailField,
    StringField,
    TelField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, Length, Optional, ValidationError

from aid.forms import AidForm, HumanCheck, MultiCheckboxField, new_password_fields
from aid.network.service import active_areas
from aid.phones import PhoneNumber
from aid.volunteers.choices import AVAILABILITY, LANGUAGES, SKILLS
from aid.volunteers.service import ProfileData


def _at_least_one(form: Any, field: Any) -> None:
    if not field.data:
        raise ValidationError(_l("Choose at least one."))


class ProfileForm(AidForm):
    display_name = StringField(
        _l("The name you go by"), validators=[DataRequired(), Length(max=80)],
        description=_l("A first name or nickname is enough."),
        render_kw={"autocomplete": "nickname"})
    phone = TelField(
        _l("Mobile phone"), validators=[DataRequired(), Length(max=30), PhoneNumber()],
        description=_l("For shift reminders and safety check-ins by text message."),
        render_kw={"autocomplete": "tel", "inputmode": "tel"})
    languages = MultiCheckboxField(_l("Languages you speak"), choices=LANGUAGES,
                                   validators=[_at_least_one])
    skills = MultiCheckboxField(_l("What you can do"), choices=SKILLS,
                                validators=[_at_least_one])
    areas = MultiCheckboxField(_l("Areas you can reach"), coerce=int,
                               validators=[_at_least_one])
    availability = MultiCheckboxField(_l("When you are usually free"),
                                      choices=[(c, c) for c in AVAILABILITY])
    referral = TextAreaField(
        _l("How did you hear of us, and who in the network can vouch for you?"),
        validators=[DataRequired(), Length(max=1000)],
        description=_l("Names or nicknames of members who know you. Only coordinators read this."))

    responder = BooleanField(
        _l("I can go and check reports of enforcement or danger in my areas"),
        description=_l("Coordinators may text you to look (safely, from a distance) and say "
                       "whether a report is true, before an alert goes out."))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.areas.choices = [(a.id, a.name) for a in active_areas()]

    def profile_data(self) -> ProfileData:
        return ProfileData(
            display_name=self.display_name.data or "", phone=self.phone.data or "",
            languages=self.languages.data or [], skills=self.skills.data or [],
            area_ids=self.areas.data or [], availability=self.availability.data or [],
            referral=self.referral.data or "", responder=bool(self.responder.data))


class SignupForm(HumanCheck, ProfileForm):
    email = EmailField(_l("Email"), validators=[DataRequired(), Email(), Length(max=254)],
                       render_kw={"autocomplete": "email"})
    password, confirm = new_password_fields()
    conduct = BooleanField(_l("I have read the code of conduct and agree to follow it."),
                           validators=[DataRequired(_l("You need to agree to sign up."))])


class VouchForm(AidForm):
    note = TextAreaField(_l("How do you know them? (optional)"),
                         validators=[Optional(), Length(max=500)],
                         description=_l("Only coordinators read this."))


class AskVouchForm(AidForm):
    email = EmailField(_l("Their email address"),
                       validators=[DataRequired(), Email(), Length(max=254)],
                       description=_l("The address they use to sign in to this network. If "
                                      "they are a vetted member, they get an email asking "
                                      "them to vouch."),
                       render_kw={"autocomplete": "off"})
