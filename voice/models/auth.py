"""Server-side sessions and database-backed attempt counters."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import BigInteger, DateTime, ForeignKey, Integer, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from voice import clock
from voice.crypto import EncryptedText
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
    # Staff signed in through the council's provider: its tokens (JSON, encrypted), so Voice can
    # ask the provider now and then whether the account is still enabled (voice/auth/oidc.py).
    provider_token: Mapped[str | None] = mapped_column(EncryptedText)
    provider_checked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


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


class StaffTotp(Model):
    """A staff member's TOTP second factor (docs/adr/0023). One row per person.

    The secret is encrypted at rest like a child's words. ``confirmed_at`` is empty until the
    person has typed a first code from their app; until then the row only serves enrolment.
    ``last_step`` is the 30-second step of the last code accepted: a code for that step or an
    earlier one is refused, so a code seen over someone's shoulder cannot be used again.
    """

    __tablename__ = "staff_totp"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_members.id"), unique=True)
    secret: Mapped[str] = mapped_column(EncryptedText)
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_step: Mapped[int] = mapped_column(BigInteger, default=0)
    created_at: Mapped[datetime] = created_at_column()


class StaffRecoveryCode(Model):
    """One single-use recovery code, stored as a hash (the codes are random, about 49 bits each)."""

    __tablename__ = "staff_recovery_codes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_members.id"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class StaffFactorReset(Model):
    """An admin reset someone's second factor (a lost phone). The secret and recovery codes are
    deleted; this row remembers who did it, and carries the posted form's key (unique), so the
    same form posted twice resets and emails once."""

    __tablename__ = "staff_factor_resets"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_members.id"), index=True)
    reset_by_id: Mapped[int] = mapped_column(ForeignKey("staff_members.id"))
    key: Mapped[uuid.UUID | None] = mapped_column(Uuid, unique=True)
    created_at: Mapped[datetime] = created_at_column()
