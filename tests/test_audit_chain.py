"""The audit trail's hash chain (issue 25, THREATS 20): `audit verify` finds an edited or a
deleted event, even one removed by someone who can lift the append-only triggers."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from sqlalchemy import text

from tests.helpers.database import triggers_lifted
from voice import audit, audit_chain, clock
from voice.cli import audit_seal_command, audit_verify_command, roles_grant_app_command
from voice.extensions import db


def _events(n: int) -> list[int]:
    events = [
        audit.record("submission.read", actor="system", child_ref=f"C-{i}", object_id=i) for i in range(n)
    ]
    db.session.commit()
    return [event.id for event in events]


def _sealed_later(app) -> None:
    with time_machine.travel(clock.now() + timedelta(minutes=2), tick=False):
        result = app.test_cli_runner().invoke(audit_seal_command)
        assert result.exit_code == 0, result.output


def _verify(app):
    with time_machine.travel(clock.now() + timedelta(minutes=2), tick=False):
        return app.test_cli_runner().invoke(audit_verify_command)


def test_an_untouched_trail_verifies(app_ctx):
    _events(5)
    _sealed_later(app_ctx)
    result = _verify(app_ctx)
    assert result.exit_code == 0, result.output
    assert "intact: 5 events" in result.output


def test_an_edited_event_is_found(app_ctx):
    ids = _events(5)
    _sealed_later(app_ctx)
    with db.engine.begin() as conn, triggers_lifted(conn):
        conn.execute(text("UPDATE audit_events SET actor_id = 'someone-else' WHERE id = :i"), {"i": ids[2]})
    result = _verify(app_ctx)
    assert result.exit_code != 0, result.output
    assert f"audit event {ids[2]} was changed" in result.output
    assert "after 2 good events" in result.output


def test_a_deleted_event_is_found(app_ctx):
    ids = _events(5)
    _sealed_later(app_ctx)
    with db.engine.begin() as conn, triggers_lifted(conn):
        conn.execute(text("DELETE FROM audit_events WHERE id = :i"), {"i": ids[3]})
    result = _verify(app_ctx)
    assert result.exit_code != 0, result.output
    assert f"audit event {ids[3]} was deleted" in result.output


def test_a_removed_seal_breaks_the_next_link(app_ctx):
    ids = _events(4)
    _sealed_later(app_ctx)
    with db.engine.begin() as conn, triggers_lifted(conn):
        conn.execute(text("DELETE FROM audit_events WHERE id = :i"), {"i": ids[1]})
        conn.execute(text("DELETE FROM audit_seals WHERE event_id = :i"), {"i": ids[1]})
    result = _verify(app_ctx)
    assert result.exit_code != 0
    assert "removed or changed" in result.output


def test_an_old_event_nobody_sealed_is_reported(app_ctx):
    _events(2)
    with time_machine.travel(clock.now() + timedelta(hours=1), tick=False):
        verdict = audit_chain.verify()
    assert not verdict.ok and "never sealed" in (verdict.problem or "")


def test_events_still_settling_are_left_for_the_next_round(app_ctx):
    _events(3)
    assert audit_chain.seal() == 0  # written a moment ago: their transactions may still be open
    with time_machine.travel(clock.now() + timedelta(minutes=1), tick=False):
        assert audit_chain.seal() == 3
        assert audit_chain.seal() == 0


@pytest.mark.postgres_only
def test_the_app_role_cannot_change_or_drop_the_audit_trail(app_ctx):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("database roles are PostgreSQL's")
    _events(1)
    role = "voice_app_test_role"
    with db.engine.begin() as conn:
        exists = conn.exec_driver_sql(f"SELECT 1 FROM pg_roles WHERE rolname = '{role}'").scalar()
        if not exists:
            conn.exec_driver_sql(f"CREATE ROLE {role} NOLOGIN")
    result = app_ctx.test_cli_runner().invoke(roles_grant_app_command, [role])
    assert result.exit_code == 0, result.output
    for statement, allowed in [
        ("SELECT count(*) FROM audit_events", True),
        ("INSERT INTO audit_events (at, actor_kind, action) VALUES (now(), 'system', 'probe')", True),
        ("SELECT count(*) FROM submissions", True),
        ("UPDATE audit_events SET action = 'x'", False),
        ("DELETE FROM audit_events", False),
        ("TRUNCATE audit_events", False),
        ("DROP TRIGGER audit_events_no_change ON audit_events", False),
        ("ALTER TABLE audit_events DISABLE TRIGGER ALL", False),
        ("DROP TABLE audit_seals", False),
    ]:
        with db.engine.connect() as conn:
            trans = conn.begin()
            conn.exec_driver_sql(f"SET LOCAL ROLE {role}")
            try:
                conn.exec_driver_sql(statement)
                outcome = True
            except Exception as exc:
                outcome = False
                assert (
                    "permission denied" in str(exc)
                    or "must be owner" in str(exc)
                    or "append-only" in str(exc)
                )
            finally:
                trans.rollback()
        assert outcome is allowed, statement
