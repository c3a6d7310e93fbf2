"""Typed SQLAlchemy models. Behaviour lives on the models; they never touch ``request``."""

from voice.models import row_binding  # noqa: F401 - registers the flush events that bind rows
from voice.models.audit import AuditEvent, AuditSeal
from voice.models.auth import AuthSession, AuthThrottle, StaffFactorReset, StaffRecoveryCode, StaffTotp
from voice.models.conversation import ChildReply, Conversation, Reply, Submission, SubmissionAnswer
from voice.models.enrolment import Device, Invitation
from voice.models.idempotency import IdempotencyKey
from voice.models.insight import InsightCount
from voice.models.keys import KeyCheck
from voice.models.media import ChildMedia
from voice.models.people import (
    ROLES,
    Child,
    CouncilMember,
    Review,
    StaffMember,
    Team,
)
from voice.models.reviews import ReviewConsultation, ReviewDateChange, ReviewNotice
from voice.models.rights import QuizResponse, RightsFeedback
from voice.models.routing import OutboxMessage, RoutingRecord
from voice.models.safeguarding import ALERT_ACTIONS, AccessGrant, Alert, AlertAction, AlertEvent
from voice.models.scenarios import MissingEpisode, Visit
from voice.models.studio import ContentVersion, CouncilOutcome, Proposal, ProposalComment, ProposalVote

__all__ = [
    "ALERT_ACTIONS",
    "ROLES",
    "AccessGrant",
    "Alert",
    "AlertAction",
    "AlertEvent",
    "AuditEvent",
    "AuditSeal",
    "AuthSession",
    "AuthThrottle",
    "Child",
    "ChildMedia",
    "ChildReply",
    "ContentVersion",
    "Conversation",
    "CouncilMember",
    "CouncilOutcome",
    "Device",
    "IdempotencyKey",
    "InsightCount",
    "Invitation",
    "KeyCheck",
    "MissingEpisode",
    "OutboxMessage",
    "Proposal",
    "ProposalComment",
    "ProposalVote",
    "QuizResponse",
    "Reply",
    "Review",
    "ReviewConsultation",
    "ReviewDateChange",
    "ReviewNotice",
    "RightsFeedback",
    "RoutingRecord",
    "StaffFactorReset",
    "StaffMember",
    "StaffRecoveryCode",
    "StaffTotp",
    "Submission",
    "SubmissionAnswer",
    "Team",
    "Visit",
]
