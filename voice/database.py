"""Connection settings for the embedded SQLite database (PostgreSQL needs none).

SQLite out of the box keeps a rollback journal: a writer locks out every reader, each commit
syncs the disk three times, and a worker that finds the file locked gives up after five
seconds with "database is locked". Under gunicorn's several processes that turned a busy
minute into slow pages (half the CPU time of a 200-child load run was spent waiting on the
disk). Each new connection therefore gets:

- ``journal_mode=WAL``: readers never wait for a writer, and a commit is one append to the log;
- ``synchronous=FULL``: a commit is on the disk before the child sees "sent", as before (WAL's
  usual NORMAL could lose the last submissions on a power cut);
- ``busy_timeout``: a writer waits its turn for up to 15 s instead of failing at once.

WAL needs the database on a local disk (not a network share); an in-memory database keeps
its own journal and ignores the setting. See docs/adr/0008-sqlite-wal.md.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine

BUSY_TIMEOUT_MS = 15_000
PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=FULL",
    f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}",
)


def _on_connect(dbapi_connection: Any, _record: Any) -> None:
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    cursor = dbapi_connection.cursor()
    try:
        for pragma in PRAGMAS:
            cursor.execute(pragma)
    finally:
        cursor.close()


def install() -> None:
    """Apply the settings to every SQLite connection any engine opens (idempotent)."""
    if not event.contains(Engine, "connect", _on_connect):
        event.listen(Engine, "connect", _on_connect)
