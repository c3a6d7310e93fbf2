"""Idempotency keys for JSON posts (voice/idempotency.py)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from voice import clock
from voice.extensions import Model


class IdempotencyKey(Model):
    """One ``Idempotency-Key`` a JSON post carried, for one signed-in person (``scope``).

    ``fingerprint`` is a hash of the method, path and body. While the first post is being
    answered ``status_code`` is empty; then it holds the answer that every repeat gets. The
    stored answer never holds a child's words (the posts that use this answer with a status).
    """

    __tablename__ = "idempotency_keys"
    __table_args__ = (UniqueConstraint("scope", "key", name="uq_idempotency_keys_scope_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    scope: Mapped[str] = mapped_column(String(80))
    key: Mapped[str] = mapped_column(String(80))
    fingerprint: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int | None] = mapped_column(Integer)
    body: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=lambda: clock.now(), index=True
    )
