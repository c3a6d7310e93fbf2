"""Safeguarding alerts, their escalation history, and time-boxed duty access."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Integer, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

from voice.crypto import EncryptedText
from voice.extensions import Model
from voice.models.people import Child, StaffMember
from voice.models.types import created_at_column

ALERT_STATUSES = ("raised", "notified", "escalated", "acknowledged")
# What the person who acknowledged an alert did about it. Words for each: voice.safeguarding.wording.
ALERT_ACTIONS = (
    "spoke_to_child",
    "contacted_carer",
    "police",
    "strategy_discussion",
    "no_further_action",
    "other",
)


class Alert(Model):
    """A possible safeguarding concern. It stays open until a person presses "I have seen this"."""

    __tablename__ = "alerts"
    __table_args__ = (
        CheckConstraint("status IN ('raised','notified','escalated','acknowledged')", name="status_known"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    child_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("children.id"), index=True)
    submission_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("submissions.id"), index=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"), index=True)
    source: Mapped[str] = mapped_column(String(16))  # detector, button, ask, reply, error
    categories: Mapped[str] = mapped_column(String(300), default="")
    words: Mapped[str | None] = mapped_column(EncryptedText)  # optional words from the button
    status: Mapped[str] = mapped_column(String(16), default="raised", index=True)
    escalation_level: Mapped[int] = mapped_column(Integer, default=0)
    next_escalation_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    raised_at: Mapped[datetime] = created_at_column()
    acknowledged_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    acknowledged_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_members.id"))
    # First time the emergency duty team was told; from then on EDT staff may open it at any hour.
    edt_notified_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    reference: Mapped[str] = mapped_column(String(16), unique=True)

    child: Mapped[Child] = relationship()
    acknowledged_by: Mapped[StaffMember | None] = relationship()
    events: Mapped[list[AlertEvent]] = relationship(
        back_populates="alert", order_by="AlertEvent.at", cascade="all, delete-orphan"
    )
    actions: Mapped[list[AlertAction]] = relationship(
        back_populates="alert", order_by="AlertAction.at", cascade="all, delete-orphan"
    )

    @property
    def open(self) -> bool:
        return self.status != "acknowledged"

    @property
    def first_action(self) -> AlertAction | None:
        """What the person who acknowledged it did (later entries are from people who pressed
        at the same moment and lost the race, kept so nothing they wrote is lost)."""
        return self.actions[0] if self.actions else None


class AlertEvent(Model):
    """What happened to an alert, and when. No free text."""

    __tablename__ = "alert_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    alert_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("alerts.id"), index=True)
    at: Mapped[datetime] = created_at_column()
    kind: Mapped[str] = mapped_column(String(32))
    detail: Mapped[str | None] = mapped_column(String(200))
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_members.id"))

    alert: Mapped[Alert] = relationship(back_populates="events")


class AlertAction(Model):
    """What a person did about an alert when they acknowledged it, with their note (encrypted)."""

    __tablename__ = "alert_actions"
    __table_args__ = (
        CheckConstraint(
            "action IN ('spoke_to_child','contacted_carer','police','strategy_discussion',"
            "'no_further_action','other')",
            name="action_known",
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    alert_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("alerts.id"), index=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_members.id"))
    at: Mapped[datetime] = created_at_column()
    action: Mapped[str] = mapped_column(String(32))
    note: Mapped[str | None] = mapped_column(EncryptedText)
    # The key of the form that was posted: a double post of one form stores one action.
    key: Mapped[uuid.UUID | None] = mapped_column(Uuid, unique=True)

    alert: Mapped[Alert] = relationship(back_populates="actions")
    staff: Mapped[StaffMember] = relationship()


class AccessGrant(Model):
    """Lets a non-allocated duty worker open one child's submissions through an alert, for a while."""

    __tablename__ = "access_grants"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_members.id"), index=True)
    child_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("children.id"), index=True)
    alert_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("alerts.id"))
    reason: Mapped[str] = mapped_column(String(64))
    granted_at: Mapped[datetime] = created_at_column()
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
