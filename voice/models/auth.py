"""Server-side sessions and database-backed attempt counters."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from voice import clock
from voice.extensions import Model
from voice.models.types import created_at_column


class AuthSession(Model):
    """One signed-in browser. The cookie holds a random token; only its hash is stored.

    Ending the row (sign-out, revocation, timeout) ends the session at once, on every worker
    process, which a signed cookie on its own cannot do.
    """

    __tablename__ = "auth_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(16))  # staff, council, child
    subject_id: Mapped[str] = mapped_column(String(64), index=True)
    device_id: Mapped[str | None] = mapped_column(String(64), index=True)
    created_at: Mapped[datetime] = created_at_column()
    last_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=lambda: clock.now())
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    end_reason: Mapped[str | None] = mapped_column(String(32))


class AuthThrottle(Model):
    """Failed sign-in attempts for one key (an account, a device or an address).

    Counted in the database so every worker process shares the same count.
    """

    __tablename__ = "auth_throttles"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(128), unique=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    lock_level: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    window_started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=lambda: clock.now())
