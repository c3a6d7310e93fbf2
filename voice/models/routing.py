"""Where each submission went, and the notification outbox."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, CheckConstraint, DateTime, ForeignKey, Integer, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

from voice import clock
from voice.extensions import Model
from voice.models.people import StaffMember, Team
from voice.models.types import created_at_column


class RoutingRecord(Model):
    """Who a submission was routed to, and why. ``routed_to`` can never be empty.

    ``routed_to`` is ``staff:<id>`` for a person or ``duty:<team id>`` for a team's duty inbox.
    """

    __tablename__ = "routing_records"
    __table_args__ = (
        CheckConstraint(
            "(recipient_kind = 'staff' AND recipient_staff_id IS NOT NULL) OR recipient_kind = 'duty'",
            name="recipient_present",
        ),
        CheckConstraint("length(routed_to) > 0", name="routed_to_not_empty"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    submission_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("submissions.id"), index=True)
    routed_to: Mapped[str] = mapped_column(String(64), nullable=False, index=True)
    recipient_kind: Mapped[str] = mapped_column(String(8))
    recipient_staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_members.id"), index=True)
    recipient_team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"), index=True)
    reason: Mapped[str] = mapped_column(String(32))
    current: Mapped[bool] = mapped_column(Boolean, default=True)
    routed_at: Mapped[datetime] = created_at_column()

    recipient_staff: Mapped[StaffMember | None] = relationship()
    recipient_team: Mapped[Team] = relationship()


class OutboxMessage(Model):
    """A notification waiting to be delivered. Written in the same transaction as its cause.

    It never holds a child's words or name: only a template id, a content-free
    personalisation map, a reference and a link.
    """

    __tablename__ = "outbox_messages"
    __table_args__ = (CheckConstraint("status IN ('pending','sending','sent','dead')", name="status_known"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    channel: Mapped[str] = mapped_column(String(16), default="email")
    to_address: Mapped[str] = mapped_column(String(254))
    template: Mapped[str] = mapped_column(String(64))
    personalisation: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    urgent: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=lambda: clock.now(), index=True
    )
    claimed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_error: Mapped[str | None] = mapped_column(String(200))
    provider_reference: Mapped[str | None] = mapped_column(String(128))
    submission_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("submissions.id"), index=True)
    alert_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("alerts.id"), index=True)
    created_at: Mapped[datetime] = created_at_column()
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
