"""Forms for the public alert pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, RadioField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, InputRequired, Length
from wtforms.widgets import CheckboxInput, ListWidget

from aid.forms import AidForm, HumanCheck
from aid.network.service import LANGUAGE_NAMES, active_areas, current_settings
from aid.phones import PhoneNumber
from aid.sms.subscriptions import TOPICS


class MultiCheckboxField(SelectMultipleField):
    """Tick boxes for a multiple choice (rendered by the `field` macro as a fieldset)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class ChoicesForm(AidForm):
    areas = MultiCheckboxField(
        _l("Areas"), coerce=int,
        description=_l("Tick none to get alerts for the whole network."))
    topics = MultiCheckboxField(_l("Topics"), validators=[DataRequired(
        message=_l("Choose at least one topic."))])
    language = RadioField(_l("Language of the texts"), validators=[InputRequired()])

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.areas.choices = [(a.id, a.name) for a in active_areas()]
        self.topics.choices = [(key, label) for key, label in TOPICS.items()]
        self.language.choices = [(code, LANGUAGE_NAMES.get(code, code))
                                 for code in current_settings().language_list]


class SubscribeForm(HumanCheck, ChoicesForm):
    phone = StringField(_l("Mobile number"), validators=[DataRequired(), Length(max=32),
                                                          PhoneNumber()],
                        render_kw={"autocomplete": "tel", "inputmode": "tel"},
                        description=_l("We text you a code to check it is yours."))
    consent = BooleanField(
        _l("I want alerts by text. I can text STOP at any time to stop them. My carrier may "
           "charge for texts."),
        validators=[DataRequired(message=_l("Please tick this box to get alerts."))])


class PhoneForm(HumanCheck, AidForm):
    phone = StringField(_l("Mobile number that gets the alerts"),
                        validators=[DataRequired(), Length(max=32), PhoneNumber()],
                        render_kw={"autocomplete": "tel", "inputmode": "tel"})


class CodeForm(AidForm):
    code = StringField(_l("Code from the text"), validators=[DataRequired(), Length(max=12)],
                       render_kw={"autocomplete": "one-time-code", "inputmode": "numeric"})
