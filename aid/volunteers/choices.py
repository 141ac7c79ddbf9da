"""The categories volunteers and shifts are matched on (codes stored, labels translated)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

SKILLS = [
    ("accompaniment", _l("Accompaniment")),
    ("legal_observer", _l("Legal observer")),
    ("interpreter", _l("Interpreter")),
    ("driver", _l("Driver")),
    ("medical", _l("Medical")),
    ("tech", _l("Tech")),
    ("other", _l("Other skills")),
]

# Languages people speak, named in themselves so a speaker recognises their own.
LANGUAGES = [
    ("en", "English"), ("es", "Español"), ("fr", "Français"), ("ht", "Kreyòl ayisyen"),
    ("pt", "Português"), ("zh", "中文"), ("ar", "العربية"), ("vi", "Tiếng Việt"),
    ("ru", "Русский"), ("asl", "ASL"),
]

DAYS = [("mon", _l("Monday")), ("tue", _l("Tuesday")), ("wed", _l("Wednesday")),
        ("thu", _l("Thursday")), ("fri", _l("Friday")), ("sat", _l("Saturday")),
        ("sun", _l("Sunday"))]
PARTS = [("am", _l("Morning")), ("pm", _l("Afternoon")), ("eve", _l("Evening"))]
AVAILABILITY = [f"{d}-{p}" for d, _ in DAYS for p, _ in PARTS]

SKILL_LABELS = dict(SKILLS)
LANGUAGE_LABELS = dict(LANGUAGES)


# What a refused vouch or vetting decision says (VettingError codes).
VOUCH_REFUSALS = {
    "self": _l("You cannot vouch for yourself."),
    "not_vetted": _l("Only vetted members can vouch."),
    "not_applicant": _l("This person is not waiting for vetting."),
    "already": _l("You have already vouched for this person."),
}
DECISION_REFUSALS = {
    "not_applicant": _l("Only an applicant can be approved."),
    "too_few_vouches": _l("Not enough vetted members have vouched yet."),
    "already_suspended": _l("This volunteer is already suspended."),
    "offboarded": _l("This volunteer has already been offboarded."),
    "not_suspended": _l("Only a suspended volunteer who was not offboarded can be "
                        "reinstated."),
}
