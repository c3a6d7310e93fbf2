"""Typed SQLAlchemy models. Behaviour lives on the models; they never touch ``request``."""

from voice.models.audit import AuditEvent
from voice.models.auth import AuthSession, AuthThrottle
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

__all__ = [
    "ROLES",
    "AuditEvent",
    "AuthSession",
    "AuthThrottle",
    "Child",
    "CouncilMember",
    "Device",
    "Invitation",
    "KeyCheck",
    "Review",
    "StaffMember",
    "Team",
]
