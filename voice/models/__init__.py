"""Typed SQLAlchemy models. Behaviour lives on the models; they never touch ``request``."""

from voice.models.audit import AuditEvent
from voice.models.auth import AuthSession, AuthThrottle
from voice.models.conversation import ChildReply, Conversation, Reply, Submission, SubmissionAnswer
from voice.models.enrolment import Device, Invitation
from voice.models.keys import KeyCheck
from voice.models.people import (
    ROLES,
    Child,
    CouncilMember,
    Review,
    StaffMember,
    Team,
)
from voice.models.rights import QuizResponse, RightsFeedback
from voice.models.routing import OutboxMessage, RoutingRecord
from voice.models.safeguarding import AccessGrant, Alert, AlertEvent
from voice.models.studio import ContentVersion, CouncilOutcome, Proposal, ProposalComment, ProposalVote

__all__ = [
    "ROLES",
    "AccessGrant",
    "Alert",
    "AlertEvent",
    "AuditEvent",
    "AuthSession",
    "AuthThrottle",
    "Child",
    "ChildReply",
    "ContentVersion",
    "Conversation",
    "CouncilMember",
    "CouncilOutcome",
    "Device",
    "Invitation",
    "KeyCheck",
    "OutboxMessage",
    "Proposal",
    "ProposalComment",
    "ProposalVote",
    "QuizResponse",
    "Reply",
    "Review",
    "RightsFeedback",
    "RoutingRecord",
    "StaffMember",
    "Submission",
    "SubmissionAnswer",
    "Team",
]
