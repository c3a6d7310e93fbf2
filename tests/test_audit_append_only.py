"""The audit trail is append-only in the database itself (migration 0005, THREATS row 20)."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, func, select, text, update
from sqlalchemy.exc import DBAPIError

from voice import audit
from voice.extensions import db
from voice.models import AuditEvent


def _one_event() -> int:
    event = audit.record("submission.read", actor="system", child_ref="C-1", object_type="submission")
    db.session.commit()
    return event.id


def test_an_audit_event_cannot_be_changed(app_ctx) -> None:
    event_id = _one_event()
    with pytest.raises(DBAPIError, match="append-only"):
        db.session.execute(update(AuditEvent).where(AuditEvent.id == event_id).values(child_ref="C-2"))
    db.session.rollback()
    assert db.session.get(AuditEvent, event_id).child_ref == "C-1"


def test_an_audit_event_cannot_be_deleted(app_ctx) -> None:
    event_id = _one_event()
    with pytest.raises(DBAPIError, match="append-only"):
        db.session.execute(delete(AuditEvent).where(AuditEvent.id == event_id))
    db.session.rollback()
    assert db.session.scalar(select(func.count(AuditEvent.id))) == 1


def test_new_events_can_still_be_added(app_ctx) -> None:
    _one_event()
    _one_event()
    assert db.session.scalar(select(func.count(AuditEvent.id))) == 2


def test_postgresql_also_refuses_truncate(app_ctx) -> None:
    if db.engine.dialect.name != "postgresql":
        pytest.skip("TRUNCATE is PostgreSQL's")
    _one_event()
    with pytest.raises(DBAPIError, match="append-only"):
        db.session.execute(text("TRUNCATE audit_events"))
    db.session.rollback()
    assert db.session.scalar(select(func.count(AuditEvent.id))) == 1
