"""THREATS 48, backup and restore: a pg_dump of a database holding a sent submission and a
sealed audit trail restores into a fresh database, the child's words decrypt there, and
`audit verify` passes on the restored copy. PostgreSQL only: SQLite has no pg_dump."""

from __future__ import annotations

import shutil
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from sqlalchemy import select, text
from sqlalchemy.engine import make_url

from tests import factories
from tests.conftest import BASE_OVERRIDES
from tests.helpers.submissions import send_for
from voice import clock, create_app
from voice.cli import audit_seal_command, audit_verify_command
from voice.extensions import db
from voice.models import AuditEvent, Submission

WORDS = "Please keep my guitar lessons when I move house"
PG_BIN = Path("/usr/lib/postgresql/15/bin")


def _tool(name: str) -> str | None:
    found = PG_BIN / name
    return str(found) if found.is_file() else shutil.which(name)


def _libpq(url) -> list[str]:
    """Connection options for the PostgreSQL command-line tools."""
    options = ["-h", url.host or "127.0.0.1", "-p", str(url.port or 5432), "-U", url.username or "postgres"]
    return options


def _run(args: list[str], url) -> None:
    env = {"PATH": "/usr/bin:/bin"}
    if url.password:
        env["PGPASSWORD"] = url.password
    result = subprocess.run(args, capture_output=True, text=True, timeout=120, env=env, check=False)
    assert result.returncode == 0, f"{args[0]} failed: {result.stderr}"


def test_a_backup_restores_with_readable_words_and_an_intact_audit_trail(app, database_url, tmp_path):
    url = make_url(database_url)
    if url.get_backend_name() != "postgresql":
        pytest.skip("pg_dump and pg_restore need PostgreSQL; this run uses SQLite")
    tools = {name: _tool(name) for name in ("pg_dump", "pg_restore", "psql")}
    missing = [name for name, path in tools.items() if path is None]
    if missing:
        pytest.skip(f"PostgreSQL client tools not installed: {missing}")

    with app.app_context():
        team = factories.team()
        factories.child(worker=factories.staff(team_=team), first_name="Rosa", ref="R-0048")
        db.session.commit()
    send_for(app, "R-0048", text=WORDS)
    with app.app_context(), time_machine.travel(clock.now() + timedelta(minutes=2), tick=False):
        assert app.test_cli_runner().invoke(audit_seal_command).exit_code == 0
        events_before = db.session.scalar(select(db.func.count(AuditEvent.id)))
    assert events_before > 0

    dump = tmp_path / "voice.dump"
    restored_name = f"{url.database}_restored"
    admin = [*_libpq(url), "-d", "postgres", "-v", "ON_ERROR_STOP=1"]
    _run([tools["pg_dump"], *_libpq(url), "-d", url.database, "-Fc", "-f", str(dump)], url)
    _run([tools["psql"], *admin, "-c", f'DROP DATABASE IF EXISTS "{restored_name}"'], url)
    _run([tools["psql"], *admin, "-c", f'CREATE DATABASE "{restored_name}"'], url)
    restored_app = None
    try:
        _run(
            [
                tools["pg_restore"],
                *_libpq(url),
                "-d",
                restored_name,
                "--no-owner",
                "--exit-on-error",
                str(dump),
            ],
            url,
        )
        restored_app = create_app(
            {
                **BASE_OVERRIDES,
                "SQLALCHEMY_DATABASE_URI": url.set(database=restored_name).render_as_string(
                    hide_password=False
                ),
                "VOICE_INSTANCE_DIR": str(tmp_path / "restored-instance"),
            }
        )
        with restored_app.app_context():
            submission = db.session.scalars(select(Submission)).one()
            assert WORDS in [answer.answer_text for answer in submission.answers]
            stored = db.session.scalars(text("SELECT answer_text FROM submission_answers")).all()
            assert not any(WORDS in (value or "") for value in stored)  # encrypted at rest, still
            assert db.session.scalar(select(db.func.count(AuditEvent.id))) == events_before
            with time_machine.travel(clock.now() + timedelta(minutes=2), tick=False):
                verdict = restored_app.test_cli_runner().invoke(audit_verify_command)
            assert verdict.exit_code == 0, verdict.output
            assert f"audit trail intact: {events_before} events" in verdict.output
    finally:
        if restored_app is not None:
            with restored_app.app_context():
                db.session.remove()
                db.engine.dispose()
        _run([tools["psql"], *admin, "-c", f'DROP DATABASE IF EXISTS "{restored_name}" WITH (FORCE)'], url)
