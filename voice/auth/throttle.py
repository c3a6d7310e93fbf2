"""Attempt limits counted in the database, shared by every worker process (docs/adr/0012).

After ``max_failures`` failures the key locks for the first step of its schedule; each
further run of failures moves one step along, and the last step repeats. A ``None`` step means
locked until a person unlocks it: only a child's own phone reaches that (the child is told to
ask their worker), because only someone holding that phone can fail its PIN.

What a key counts, so that a stranger can never lock other people out:

- staff: one account *from one address* (the back-off), and one account from everywhere with a
  higher limit; both time-limited, so nobody who knows an email can lock it for good, and an
  admin can unlock it at once;
- children: one enrolled phone;
- an address: failures from it, staff and children counted apart. Reaching the ceiling makes
  wrong attempts from that address fail fast, but it never stops correct credentials:
  behind a council proxy or a care home's wifi, hundreds of people share one address.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from voice import clock
from voice.extensions import db
from voice.models import AuthThrottle

STAFF_SCHEDULE: tuple[timedelta | None, ...] = (
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=1),
)
ACCOUNT_SCHEDULE: tuple[timedelta | None, ...] = (timedelta(minutes=15), timedelta(hours=1))
CHILD_SCHEDULE: tuple[timedelta | None, ...] = (timedelta(minutes=5), timedelta(minutes=30), None)
ADDRESS_WINDOW = timedelta(hours=1)
FOREVER = datetime(9999, 1, 1, tzinfo=clock.now().tzinfo)


@dataclass(frozen=True)
class Lock:
    until: datetime
    permanent: bool


def _row(key: str) -> AuthThrottle | None:
    return db.session.scalar(select(AuthThrottle).where(AuthThrottle.key == key))


def current_lock(key: str) -> Lock | None:
    row = _row(key)
    if row is None or row.locked_until is None:
        return None
    until = clock.as_utc(row.locked_until)
    if until <= clock.now():
        return None
    return Lock(until=until, permanent=until >= FOREVER)


def record_failure(key: str, *, max_failures: int, schedule=STAFF_SCHEDULE) -> Lock | None:
    """Count one failure; returns the lock if this failure triggered one. Caller commits."""
    row = _row(key)
    if row is None:
        row = AuthThrottle(key=key, failures=0, lock_level=0, window_started_at=clock.now())
        db.session.add(row)
    row.failures = (row.failures or 0) + 1
    if row.failures < max_failures:
        db.session.flush()
        return None
    step = schedule[min(row.lock_level or 0, len(schedule) - 1)]
    row.locked_until = FOREVER if step is None else clock.now() + step
    row.lock_level = (row.lock_level or 0) + 1
    row.failures = 0
    db.session.flush()
    return Lock(until=clock.as_utc(row.locked_until), permanent=step is None)


def staff_keys(account: str, address: str) -> tuple[str, str, str]:
    """(this account from this address, this account from anywhere, this address's staff tries)."""
    return f"staff:{account}:{address}", f"staff:{account}", f"staff-addr:{address}"


def child_address_key(address: str) -> str:
    return f"child-addr:{address}"


def record_address_failure(key: str, *, ceiling: int) -> bool:
    """A per-address ceiling over a sliding hour. Returns True when the ceiling is reached."""
    row = _row(key)
    now = clock.now()
    if row is None:
        row = AuthThrottle(key=key, failures=0, lock_level=0, window_started_at=now)
        db.session.add(row)
    if now - clock.as_utc(row.window_started_at) > ADDRESS_WINDOW:
        row.window_started_at = now
        row.failures = 0
        row.locked_until = None
    row.failures = (row.failures or 0) + 1
    if row.failures >= ceiling:
        row.locked_until = clock.as_utc(row.window_started_at) + ADDRESS_WINDOW
    db.session.flush()
    return row.failures >= ceiling


def failures(key: str) -> int:
    row = _row(key)
    return 0 if row is None else (row.failures or 0)


def clear(key: str) -> None:
    """A successful sign-in, or a person unlocking the account."""
    row = _row(key)
    if row is not None:
        db.session.delete(row)
        db.session.flush()


def clear_account(account: str) -> int:
    """Clear an account's locks from every address (an admin unlocking it). Caller commits."""
    rows = db.session.scalars(
        select(AuthThrottle).where(
            (AuthThrottle.key == f"staff:{account}") | AuthThrottle.key.startswith(f"staff:{account}:")
        )
    ).all()
    for row in rows:
        db.session.delete(row)
    db.session.flush()
    return len(rows)
