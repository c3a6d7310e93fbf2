"""Typed SQLAlchemy models. Behaviour lives on the models; they never touch ``request``."""

from voice.models.audit import AuditEvent
from voice.models.auth import AuthSession, AuthThrottle
from voice.models.conversation import Conversation, Reply, Submission, SubmissionAnswer
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
from voice.models.routing import OutboxMessage, RoutingRecord
from voice.models.safeguarding import AccessGrant, Alert, AlertEvent

__all__ = [
    "ROLES",
    "AccessGrant",
    "Alert",
    "AlertEvent",
    "AuditEvent",
    "AuthSession",
    "AuthThrottle",
    "Child",
    "Conversation",
    "CouncilMember",
    "Device",
    "Invitation",
    "KeyCheck",
    "OutboxMessage",
    "Reply",
    "Review",
    "RoutingRecord",
    "StaffMember",
    "Submission",
    "SubmissionAnswer",
    "Team",
]
