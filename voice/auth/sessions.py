"""Server-side sessions: create, look up, time out and end them. No ``request`` here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import cast

from sqlalchemy import select, update
from sqlalchemy.engine import CursorResult

from voice import clock
from voice.auth.secrets import new_token, token_hash
from voice.extensions import db
from voice.models import AuthSession

# Writing last_seen on every request would turn each page view into a write; once a minute is
# plenty for a 15- or 30-minute idle timeout.
TOUCH_EVERY = timedelta(seconds=60)


@dataclass(frozen=True)
class Timeouts:
    idle: timedelta
    absolute: timedelta


def start(
    kind: str, subject_id: str, *, device_id: str | None = None, provider_token: str | None = None
) -> str:
    """Create a session row and return the raw token for the cookie. Caller commits.

    ``provider_token``: for staff signed in through the council's provider, what Voice needs to
    ask it later whether the account is still enabled (voice/auth/oidc.py, ``still_enabled``)."""
    token = new_token()
    now = clock.now()
    db.session.add(
        AuthSession(
            token_hash=token_hash(token),
            kind=kind,
            subject_id=str(subject_id),
            device_id=device_id,
            last_seen_at=now,
            provider_token=provider_token,
            provider_checked_at=now if provider_token else None,
        )
    )
    return token


def lookup(token: str | None, timeouts: dict[str, Timeouts]) -> AuthSession | None:
    """The live session for a cookie token, ending it first if it has timed out."""
    if not token or len(token) > 200:
        return None
    row = db.session.scalar(select(AuthSession).where(AuthSession.token_hash == token_hash(token)))
    if row is None or row.ended_at is not None:
        return None
    limits = timeouts.get(row.kind)
    now = clock.now()
    if limits is None:
        return None
    if now - clock.as_utc(row.last_seen_at) > limits.idle:
        end(row, "idle")
        db.session.commit()
        return None
    if now - clock.as_utc(row.created_at) > limits.absolute:
        end(row, "absolute")
        db.session.commit()
        return None
    if now - clock.as_utc(row.last_seen_at) > TOUCH_EVERY:
        row.last_seen_at = now
        db.session.commit()
    return row


def end(row: AuthSession, reason: str) -> None:
    row.ended_at = clock.now()
    row.end_reason = reason


def end_all(kind: str, subject_id: str, reason: str, *, device_id: str | None = None) -> int:
    """End every live session of a person (or of one device). Caller commits."""
    stmt = (
        update(AuthSession)
        .where(
            AuthSession.kind == kind,
            AuthSession.subject_id == str(subject_id),
            AuthSession.ended_at.is_(None),
        )
        .values(ended_at=clock.now(), end_reason=reason)
    )
    if device_id is not None:
        stmt = stmt.where(AuthSession.device_id == device_id)
    return cast(CursorResult, db.session.execute(stmt)).rowcount or 0
