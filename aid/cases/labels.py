"""What case pages call needs, milestones, directory kinds and timeline events."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from aid.cases.models import Answer, CaseState, LegalKind, MilestoneKind, Need
from aid.labels import Labels

NEED_LABELS = Labels({
    Need.LAWYER: _l("Lawyer"), Need.BOND: _l("Bond"), Need.CHILDCARE: _l("Childcare"),
    Need.MONEY: _l("Money"), Need.ACCOMPANIMENT: _l("Accompaniment"),
    Need.COMMISSARY: _l("Commissary"), Need.TRANSPORT: _l("Transport"),
})
MILESTONE_LABELS = Labels({
    MilestoneKind.LAWYER_CALL: _l("First call with a lawyer"),
    MilestoneKind.BOND_HEARING: _l("Bond hearing"),
    MilestoneKind.HEARING: _l("Hearing"),
    MilestoneKind.RELEASE: _l("Release"),
})
# Keyed by the enum, looked up with the plain string a row holds (a StrEnum is a str).
LEGAL_KIND_LABELS: Labels[str] = Labels({
    LegalKind.LAWYER: _l("Lawyer"), LegalKind.BOND_FUND: _l("Bond fund"),
    LegalKind.CLINIC: _l("Legal clinic")})
STATE_LABELS = Labels({CaseState.OPEN: _l("Open"), CaseState.CLOSED: _l("Closed")})
ANSWER_LABELS = Labels({Answer.YES: _l("the family asked for someone to come"),
                        Answer.NO: _l("the family answered NO"),
                        Answer.NONE: _l("no answer from the family")})
EVENT_LABELS = Labels({
    "opened": _l("Case opened"), "edited": _l("Case details changed"),
    "closed": _l("Case closed"), "reopened": _l("Case reopened"),
    "member_added": _l("Someone joined the team"),
    "member_removed": _l("Someone left the team"),
    "milestone_added": _l("Date added"), "milestone_removed": _l("Date removed"),
    "shift_drafted": _l("Draft accompaniment shift made"),
    "reminder_sent": _l("Reminder texted to the family"),
    "family_yes": _l("The family asked for someone to come with them"),
    "family_no": _l("The family answered NO"),
    "family_none": _l("The family did not answer the reminders"),
    "family_silent": _l("The family did not answer the reminders"),
    "legal_linked": _l("Legal support linked"),
    "legal_unlinked": _l("Legal support removed"),
    "contact_erased": _l("The contact person's details were deleted at their request"),
})
