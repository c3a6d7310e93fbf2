"""SQLite connection settings (voice/database.py): WAL, durable commits, waiting writers."""

from __future__ import annotations

import threading
import time

import pytest
from flask import Flask
from sqlalchemy import create_engine, text

from voice.extensions import db


@pytest.fixture
def sqlite_app(app: Flask) -> Flask:
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("SQLite connection settings; PostgreSQL needs none")
    return app


def test_every_sqlite_connection_uses_wal_full_sync_and_a_busy_timeout(sqlite_app: Flask) -> None:
    with sqlite_app.app_context(), db.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() == 15_000


def test_a_reader_is_not_held_up_by_a_writer_and_a_second_writer_waits_its_turn(
    sqlite_app: Flask,
) -> None:
    url = sqlite_app.config["SQLALCHEMY_DATABASE_URI"]
    first = create_engine(url)
    second = create_engine(url)
    try:
        with first.begin() as conn:
            conn.execute(text("CREATE TABLE IF NOT EXISTS wal_probe (n INTEGER)"))
            conn.execute(text("DELETE FROM wal_probe"))
        writer = first.connect()
        writer.execute(text("BEGIN IMMEDIATE"))
        writer.execute(text("INSERT INTO wal_probe VALUES (1)"))
        # A reader sees the last committed state straight away while the write is open.
        with second.connect() as reader:
            started = time.monotonic()
            assert reader.execute(text("SELECT count(*) FROM wal_probe")).scalar() == 0
            assert time.monotonic() - started < 1.0

        # A second writer waits (instead of failing with "database is locked") until the
        # first commits, then goes ahead: both rows are kept.
        def commit_later() -> None:
            time.sleep(0.5)
            writer.execute(text("COMMIT"))

        thread = threading.Thread(target=commit_later)
        thread.start()
        with second.begin() as conn:
            conn.execute(text("INSERT INTO wal_probe VALUES (2)"))
        thread.join()
        writer.close()
        with second.connect() as conn:
            assert sorted(conn.execute(text("SELECT n FROM wal_probe")).scalars()) == [1, 2]
    finally:
        with first.begin() as conn:
            conn.execute(text("DROP TABLE IF EXISTS wal_probe"))
        first.dispose()
        second.dispose()
