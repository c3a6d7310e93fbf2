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
from typing import cast

from sqlalchemy import Table, delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import CursorResult

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
_T = cast(Table, AuthThrottle.__table__)


@dataclass(frozen=True)
class Lock:
    until: datetime
    permanent: bool


# Every change below is one statement the database applies atomically: two wrong PINs posted
# at the same moment to two workers both count, and neither meets the other's half-written row.
# (Reading the row, adding one and writing it back lost counts, and two first failures both
# inserted the key: the second broke the unique constraint and the child saw an error page.)


def _count_one(key: str, now: datetime) -> tuple[int, int, datetime]:
    """Add one failure to ``key`` (creating it); returns (failures, lock level, window start)."""
    insert = postgresql.insert if db.session.get_bind().dialect.name == "postgresql" else sqlite.insert
    counted = (
        insert(_T)
        .values(key=key, failures=1, lock_level=0, window_started_at=now)
        .on_conflict_do_update(index_elements=[_T.c.key], set_={"failures": _T.c.failures + 1})
        .returning(_T.c.failures, _T.c.lock_level, _T.c.window_started_at)
    )
    failures_now, level, started = db.session.execute(counted).one()
    return failures_now, level or 0, clock.as_utc(started)


def current_lock(key: str) -> Lock | None:
    locked_until = db.session.scalar(select(_T.c.locked_until).where(_T.c.key == key))
    if locked_until is None:
        return None
    until = clock.as_utc(locked_until)
    if until <= clock.now():
        return None
    return Lock(until=until, permanent=until >= FOREVER)


def record_failure(key: str, *, max_failures: int, schedule=STAFF_SCHEDULE) -> Lock | None:
    """Count one failure; returns the lock if this failure triggered one. Caller commits.

    When several failures cross the limit at once, exactly one of them takes the lock (and
    its audit event and the worker's message): the update only applies while the row is still
    at the level that failure saw."""
    now = clock.now()
    failures_now, level, _started = _count_one(key, now)
    if failures_now < max_failures:
        return None
    step = schedule[min(level, len(schedule) - 1)]
    until = FOREVER if step is None else now + step
    taken = cast(
        CursorResult,
        db.session.execute(
            update(_T)
            .where(_T.c.key == key, _T.c.lock_level == level, _T.c.failures >= max_failures)
            .values(locked_until=until, lock_level=_T.c.lock_level + 1, failures=0)
        ),
    ).rowcount
    if not taken:
        return None
    return Lock(until=clock.as_utc(until), permanent=step is None)


def staff_keys(account: str, address: str) -> tuple[str, str, str]:
    """(this account from this address, this account from anywhere, this address's staff tries)."""
    return f"staff:{account}:{address}", f"staff:{account}", f"staff-addr:{address}"


def child_address_key(address: str) -> str:
    return f"child-addr:{address}"


def count_address_failure(key: str, *, ceiling: int) -> int:
    """One more failure from an address, over a sliding hour; returns the count in the window.
    From ``ceiling`` on, the address's row shows it locked until the hour is up."""
    now = clock.now()
    db.session.execute(  # a window that is over starts again from nothing
        update(_T)
        .where(_T.c.key == key, _T.c.window_started_at < now - ADDRESS_WINDOW)
        .values(window_started_at=now, failures=0, locked_until=None)
    )
    failures_now, _level, started = _count_one(key, now)
    if failures_now >= ceiling:
        db.session.execute(update(_T).where(_T.c.key == key).values(locked_until=started + ADDRESS_WINDOW))
    return failures_now


def record_address_failure(key: str, *, ceiling: int) -> bool:
    """A per-address ceiling over a sliding hour. Returns True when the ceiling is reached."""
    return count_address_failure(key, ceiling=ceiling) >= ceiling


def failures(key: str) -> int:
    return db.session.scalar(select(_T.c.failures).where(_T.c.key == key)) or 0


def clear(key: str) -> None:
    """A successful sign-in, or a person unlocking the account."""
    db.session.execute(delete(_T).where(_T.c.key == key))


def clear_account(account: str) -> int:
    """Clear an account's locks from every address (an admin unlocking it). Caller commits."""
    mine = (_T.c.key == f"staff:{account}") | _T.c.key.startswith(f"staff:{account}:", autoescape=True)
    return cast(CursorResult, db.session.execute(delete(_T).where(mine))).rowcount
