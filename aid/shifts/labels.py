"""What the shift pages and texts call kinds, visibilities and outcomes (translated when shown)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel import pgettext

from aid.labels import Labels
from aid.shifts.models import ShiftKind, ShiftStatus

# Keyed by the enum, looked up with the plain string a row holds (a StrEnum is a str).
KIND_LABELS: Labels[str] = Labels({
    ShiftKind.COURT: _l("Court date"), ShiftKind.ICE_CHECKIN: _l("ICE check-in"),
    ShiftKind.MEDICAL: _l("Medical visit"), ShiftKind.SCHOOL_WALK: _l("School walk"),
    ShiftKind.PATROL: _l("Patrol"), ShiftKind.HOTLINE: _l("Hotline phone duty"),
    ShiftKind.OTHER: _l("Other"),
})
# The kind inside a sentence ("your court date shift", "su turno de cita en el tribunal"):
# the labels above are capitalised as headings.
KIND_IN_SENTENCE = {
    ShiftKind.COURT: lambda: pgettext("shift kind, mid-sentence", "court date"),
    ShiftKind.ICE_CHECKIN: lambda: pgettext("shift kind, mid-sentence", "ICE check-in"),
    ShiftKind.MEDICAL: lambda: pgettext("shift kind, mid-sentence", "medical visit"),
    ShiftKind.SCHOOL_WALK: lambda: pgettext("shift kind, mid-sentence", "school walk"),
    ShiftKind.PATROL: lambda: pgettext("shift kind, mid-sentence", "patrol"),
    ShiftKind.HOTLINE: lambda: pgettext("shift kind, mid-sentence", "hotline phone duty"),
    ShiftKind.OTHER: lambda: pgettext("shift kind, mid-sentence", "accompaniment"),
}


def kind_in_sentence(kind: str) -> str:
    return KIND_IN_SENTENCE[ShiftKind(kind)]()


STATUS_LABELS = Labels({ShiftStatus.DRAFT: _l("Draft"), ShiftStatus.OPEN: _l("Open"),
                        ShiftStatus.CANCELLED: _l("Cancelled")})
OUTCOMES = {
    "as_planned": _l("Went as planned"), "rescheduled": _l("Rescheduled"),
    "detained": _l("Person detained"), "did_not_happen": _l("Did not happen"),
    "other": _l("Other outcome"),
}

# What a refused sign-up, withdrawal or check-in tells the volunteer (ShiftError codes).
REFUSALS = {
    "closed": _l("This shift is not taking sign-ups."),
    "past": _l("This shift has already started."),
    "already": _l("You are already signed up for this shift."),
    "overlap": _l("You already hold a shift at an overlapping time. Withdraw from it "
                  "first if you want this one."),
    "not_signed_up": _l("You are not signed up for this shift."),
    "started": _l("This shift has started: tell the coordinator instead."),
    "not_confirmed": _l("Only volunteers confirmed on this shift can check in."),
    "too_early": _l("Check-in opens one hour before the shift."),
    "already_in": _l("You are already checked in."),
    "not_in": _l("Check in first."),
    "already_out": _l("You are already checked out."),
}
