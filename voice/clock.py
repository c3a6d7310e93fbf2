"""One place to ask the time, so tests can move it (time-machine) and code stays UTC-aware.

``pinned`` makes "now" a chosen moment for one block of work: ``flask --app voice
safeguarding escalate --at 2026-12-25T02:00`` runs an escalation pass exactly as it would run
at 2am on Christmas Day, working hours and all, without waiting or changing the system clock.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime

_pinned: ContextVar[datetime | None] = ContextVar("voice_clock_pinned", default=None)


def now() -> datetime:
    """The current time, timezone-aware in UTC."""
    moment = _pinned.get()
    return moment if moment is not None else datetime.now(UTC)


def as_utc(value: datetime) -> datetime:
    """SQLite hands back naive datetimes; treat them as the UTC they were stored as."""
    return value if value.tzinfo else value.replace(tzinfo=UTC)


@contextmanager
def pinned(moment: datetime) -> Iterator[datetime]:
    """Within the block, ``now()`` is ``moment`` (naive means UTC), held in UTC like the rest."""
    moment = as_utc(moment).astimezone(UTC)
    token = _pinned.set(moment)
    try:
        yield moment
    finally:
        _pinned.reset(token)
