"""Imports every feature's models so the metadata (and Alembic) knows every table."""

from aid.admin.models import RotationRun
from aid.alerts.models import (
    Alert,
    AlertBody,
    Delivery,
    Dispatch,
    Report,
    ReportKind,
    ReportPhoto,
    SmsReportDraft,
    Verdict,
)
from aid.auth.models import RecoveryCode, SetupToken, User
from aid.backup.models import PhoneTreeCopy, PhoneTreeSettings
from aid.board.models import Flag, Match, Post, PostWord, Response
from aid.cases.models import Case, CaseLegal, CaseMember, CaseNote, LegalContact, Milestone
from aid.core.models import WorkerBeat
from aid.hotline.models import HelpRequest, RequestEvent, RequestWord
from aid.network.models import Area, NetworkSettings
from aid.notify.models import Notification, Preference
from aid.outreach.models import BulkText, BulkTextBody, BulkTextMessage
from aid.privacy.models import RetentionSettings, WipeCount
from aid.security.audit import AuditEvent
from aid.shifts.models import Shift, ShiftKindDefault, ShiftReport, Signup
from aid.sms.models import (
    InboundMessage,
    Invitation,
    OutboundMessage,
    Subscriber,
    SubscriberTopic,
    Suppression,
    VerificationCode,
)
from aid.voice.models import Block, VoiceCall, Voicemail, VoiceSettings
from aid.volunteers.models import VolunteerProfile, Vouch

__all__ = ["Alert", "AlertBody", "Area", "BulkText", "BulkTextBody", "BulkTextMessage",
           "Delivery", "Dispatch", "Report", "ReportKind", "ReportPhoto", "SmsReportDraft",
           "Verdict", "AuditEvent", "Case", "CaseLegal", "CaseMember", "CaseNote", "Flag",
           "LegalContact", "Milestone", "HelpRequest", "InboundMessage", "Invitation", "Match",
           "NetworkSettings", "Notification", "OutboundMessage", "Post", "PostWord",
           "Preference", "RecoveryCode",
           "RequestEvent", "RequestWord", "Response", "RetentionSettings", "SetupToken", "Shift",
           "ShiftKindDefault", "ShiftReport",
           "Signup", "Subscriber", "SubscriberTopic", "Suppression", "User", "VerificationCode",
           "VolunteerProfile", "Vouch", "WipeCount", "WorkerBeat",
           "PhoneTreeCopy", "PhoneTreeSettings", "RotationRun", "Block", "VoiceCall", "Voicemail",
           "VoiceSettings"]
