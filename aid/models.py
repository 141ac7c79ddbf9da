"""Imports every feature's models so the metadata (and Alembic) knows every table."""

from aid.admin.models import Area, NetworkSettings
from aid.auth.models import RecoveryCode, SetupToken, User
from aid.board.models import Flag, Match, Post, PostWord, Response
from aid.core.models import WorkerBeat
from aid.hotline.models import HelpRequest, RequestEvent
from aid.security.audit import AuditEvent
from aid.sms.models import (
    InboundMessage,
    OutboundMessage,
    Subscriber,
    SubscriberTopic,
    Suppression,
    VerificationCode,
)

__all__ = ["Area", "AuditEvent", "Flag", "HelpRequest", "InboundMessage", "Match",
           "NetworkSettings", "OutboundMessage", "Post", "PostWord", "RecoveryCode",
           "RequestEvent", "Response", "SetupToken", "Subscriber", "SubscriberTopic",
           "Suppression", "User", "VerificationCode", "WorkerBeat"]
