"""Audit events: who read or changed what, when. Never any free text."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from voice import clock
from voice.extensions import Model


class AuditEvent(Model):
    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=lambda: clock.now(), index=True)
    actor_kind: Mapped[str] = mapped_column(String(16))  # staff, council, child, system, anonymous
    actor_id: Mapped[str | None] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(64), index=True)
    child_ref: Mapped[str | None] = mapped_column(String(32), index=True)
    object_type: Mapped[str | None] = mapped_column(String(32))
    object_id: Mapped[str | None] = mapped_column(String(64))
    route: Mapped[str | None] = mapped_column(String(128))
    purpose: Mapped[str | None] = mapped_column(String(64))
    address: Mapped[str | None] = mapped_column(String(64))


class AuditSeal(Model):
    """One link of the audit trail's hash chain (``flask --app voice audit verify``).

    Each seal holds the hash of one audit event's fields together with the previous seal's hash,
    so editing or deleting an event, or a seal, breaks every link after it. Seals are written by
    the worker shortly after the events (not in the event's own transaction, so audited reads
    never queue behind one another) and are append-only like the events.
    """

    __tablename__ = "audit_seals"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[int] = mapped_column(Integer, unique=True)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    sealed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=lambda: clock.now())
