"""Invitations (single-use links) and enrolled devices for children."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

from voice import clock
from voice.extensions import Model
from voice.models.people import Child
from voice.models.types import created_at_column


class Invitation(Model):
    """A single-use, expiring link. Only the SHA-256 of the 256-bit token is stored."""

    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    child_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("children.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = created_at_column()
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_members.id"))
    # A scenario link (issue 27): after choosing a PIN the child lands on this flow's start.
    flow_id: Mapped[str | None] = mapped_column(String(64))

    child: Mapped[Child] = relationship()

    @property
    def usable(self) -> bool:
        return self.used_at is None and clock.as_utc(self.expires_at) > clock.now()


class Device(Model):
    """A phone or browser a child enrolled from an invitation. Holds that device's PIN hash."""

    __tablename__ = "devices"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    child_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("children.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    pin_hash: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[datetime] = created_at_column()
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    child: Mapped[Child] = relationship()

    @property
    def active(self) -> bool:
        return self.revoked_at is None and self.pin_hash is not None
