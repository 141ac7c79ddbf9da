"""Imports every feature's models so the metadata (and Alembic) knows every table."""

from aid.admin.models import Area, NetworkSettings
from aid.auth.models import RecoveryCode, SetupToken, User
from aid.core.models import WorkerBeat
from aid.security.audit import AuditEvent
from aid.shifts.models import Shift, ShiftKindDefault, ShiftReport, Signup
from aid.volunteers.models import VolunteerProfile, Vouch

__all__ = ["Area", "AuditEvent", "NetworkSettings", "RecoveryCode", "SetupToken", "Shift",
           "ShiftKindDefault", "ShiftReport", "Signup", "User", "VolunteerProfile", "Vouch",
           "WorkerBeat"]
