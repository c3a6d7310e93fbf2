"""Emptying tables between tests, past the audit trail's append-only triggers (migration 0005)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, text


@contextmanager
def triggers_lifted(conn: Connection) -> Iterator[None]:
    """Within ``conn``'s transaction, let the test harness delete rows the app may not."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SET LOCAL session_replication_role = replica"))  # this transaction only
        yield
        return
    triggers = conn.execute(text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")).all()
    for name, _sql in triggers:
        conn.execute(text(f'DROP TRIGGER "{name}"'))
    try:
        yield
    finally:
        for _name, sql in triggers:
            conn.execute(text(sql))
