"""What the shift pages and texts call kinds, visibilities and outcomes (translated when shown)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from aid.shifts.models import ShiftKind, ShiftStatus

KIND_LABELS = {
    ShiftKind.COURT: _l("Court date"), ShiftKind.ICE_CHECKIN: _l("ICE check-in"),
    ShiftKind.MEDICAL: _l("Medical visit"), ShiftKind.SCHOOL_WALK: _l("School walk"),
    ShiftKind.PATROL: _l("Patrol"), ShiftKind.OTHER: _l("Other"),
}
STATUS_LABELS = {ShiftStatus.DRAFT: _l("Draft"), ShiftStatus.OPEN: _l("Open"),
                 ShiftStatus.CANCELLED: _l("Cancelled")}
OUTCOMES = {
    "as_planned": _l("Went as planned"), "rescheduled": _l("Rescheduled"),
    "detained": _l("Person detained"), "did_not_happen": _l("Did not happen"),
    "other": _l("Other outcome"),
}
