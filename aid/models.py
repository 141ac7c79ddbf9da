"""Imports every feature's models so the metadata (and Alembic) knows every table."""

from aid.admin.models import Area, NetworkSettings
from aid.auth.models import RecoveryCode, SetupToken, User
from aid.core.models import WorkerBeat
from aid.security.audit import AuditEvent
from aid.sms.models import (
    InboundMessage,
    OutboundMessage,
    Subscriber,
    SubscriberTopic,
    Suppression,
    VerificationCode,
)

__all__ = ["Area", "AuditEvent", "NetworkSettings", "RecoveryCode", "SetupToken", "User",
           "WorkerBeat", "InboundMessage", "OutboundMessage", "Subscriber", "SubscriberTopic",
           "Suppression", "VerificationCode"]
