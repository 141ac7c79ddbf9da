"""Imports every feature's models so the metadata (and Alembic) knows every table."""

from aid.admin.models import Area, NetworkSettings
from aid.auth.models import RecoveryCode, SetupToken, User
from aid.core.models import WorkerBeat
from aid.hotline.models import HelpRequest, RequestEvent
from aid.security.audit import AuditEvent

__all__ = ["Area", "AuditEvent", "HelpRequest", "NetworkSettings", "RecoveryCode",
           "RequestEvent", "SetupToken", "User", "WorkerBeat"]
