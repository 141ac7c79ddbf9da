from __future__ import annotations

from flask import current_app
from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from aid.board.models import CATEGORIES
from aid.forms import AidForm, HumanCheck
from aid.labels import Labels
from aid.network.service import active_areas

CATEGORY_LABELS = Labels({
    "food": _l("Food"), "housing": _l("Housing"), "transport": _l("Transport"),
    "childcare": _l("Childcare"), "money": _l("Money"), "goods": _l("Goods"),
    "skills": _l("Skills"), "legal": _l("Legal"), "medical": _l("Medical"),
    "other": _l("Other"),
})
KIND_LABELS = Labels({"need": _l("Need"), "offer": _l("Offer")})
STATUS_LABELS = Labels({
    "pending": _l("Waiting for a coordinator"), "open": _l("On the board"),
    "hidden": _l("Hidden by a coordinator"), "fulfilled": _l("Fulfilled"), "expired": _l("Expired"),
})
VIEW_LABELS = Labels({"pending": _l("Waiting"), "flagged": _l("Flagged"),
                      "open": _l("On the board"), "hidden": _l("Hidden"), "closed": _l("Closed")})
FLAG_LABELS = Labels({
    "spam": _l("Spam or advertising"), "unsafe": _l("Could put someone in danger"),
    "personal": _l("Shows someone's name, address or number"), "scam": _l("Looks like a scam"),
    "other": _l("Something else"),
})
NO_PERSONAL = _l("Everyone can read this. No names, addresses or phone numbers here.")


def _area_choices() -> list[tuple[int, str]]:
    return [(a.id, a.name) for a in active_areas()]


class PostFields(AidForm):
    category = SelectField(_l("Category"), choices=[(c, CATEGORY_LABELS[c]) for c in CATEGORIES],
                           validators=[DataRequired()])
    area = SelectField(_l("Area"), coerce=int, validators=[DataRequired()],
                       description=_l("The neighbourhood, never an address."))
    title = StringField(_l("Short title"), validators=[DataRequired(), Length(max=100)],
                        description=NO_PERSONAL)
    description = TextAreaField(_l("Details"), validators=[DataRequired(), Length(max=2000)],
                                description=NO_PERSONAL)
    quantity = StringField(_l("How much or how often"), validators=[Optional(), Length(max=80)],
                           description=_l("For example: 2 bags, every Tuesday, one evening."))
    first_name = StringField(_l("First name to show (optional)"),
                             validators=[Optional(), Length(max=40)],
                             description=_l("Leave empty to stay anonymous on the board."))
    contact = StringField(
        _l("How we can reach you (optional)"), validators=[Optional(), Length(max=200)],
        description=_l("Phone, email or Signal. Only coordinators see it, and the people you "
                       "agree to share it with. It is stored encrypted."))

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.area.choices = _area_choices()


class PostForm(HumanCheck, PostFields):
    kind = RadioField(_l("Do you need something or offer something?"),
                      choices=[("need", _l("I need something")),
                               ("offer", _l("I can offer something"))],
                      validators=[DataRequired()])
    expiry_days = SelectField(_l("Keep it up for"), coerce=int)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        default = current_app.config["BOARD_EXPIRY_DAYS"]
        days = sorted({3, 7, default, 30})
        self.expiry_days.choices = [(d, _l("%(n)d days", n=d)) for d in days]
        if not self.expiry_days.data:
            self.expiry_days.data = default


class EditPostForm(PostFields):
    """The same fields without kind and expiry; coordinators also lose the contact field."""


class RespondForm(HumanCheck, AidForm):
    message = TextAreaField(_l("Your message"), validators=[DataRequired(), Length(max=1000)],
                            description=_l("Say what you can do or what you need. The poster "
                                           "reads it on their private page."))
    contact = StringField(
        _l("How they can reach you (optional)"), validators=[Optional(), Length(max=200)],
        description=_l("Shown to the poster only if they agree to share contacts. Coordinators "
                       "can see it."))


class FlagForm(HumanCheck, AidForm):
    reason = RadioField(_l("What is wrong with this post?"),
                        choices=list(FLAG_LABELS.items()), validators=[DataRequired()])


class MatchForm(AidForm):
    other_id = SelectField(_l("Link with"), coerce=int, validators=[DataRequired()])
