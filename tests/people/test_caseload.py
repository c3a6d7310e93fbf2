"""A worker's children, as plain functions (voice/people/caseload.py): what the staff pages call."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from tests import factories
from voice.auth.secrets import token_hash
from voice.extensions import db
from voice.models import AuditEvent, Device
from voice.people import caseload


def _phone(child) -> Device:
    device = Device(child_id=child.id, token_hash=token_hash(f"phone-{uuid.uuid4()}"))
    db.session.add(device)
    db.session.flush()
    return device


def _events(name: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == name)))


def test_a_worker_sees_only_their_teams_children_and_a_look_elsewhere_is_recorded(app_ctx):
    worker = factories.staff(team_=factories.team())
    mine = factories.child(worker=worker)
    theirs = factories.child(worker=factories.staff(team_=factories.team()))
    db.session.commit()

    assert [c.ref for c in caseload.children_of(worker)] == [mine.ref]
    assert caseload.child_in_scope(worker, mine.id, route="staff.child") == mine
    assert caseload.child_in_scope(worker, theirs.id, route="staff.child") is None
    assert len(_events("authz.denied")) == 1


def test_only_the_childs_own_phone_can_be_revoked(app_ctx):
    worker = factories.staff(team_=factories.team())
    child = factories.child(worker=worker)
    other = factories.child(worker=worker)
    phone, others_phone = _phone(child), _phone(other)
    db.session.commit()

    assert caseload.revoke_device(worker, child, others_phone.id) is False
    assert caseload.revoke_device(worker, child, uuid.uuid4()) is False
    assert caseload.revoke_device(worker, child, phone.id) is True
    db.session.refresh(phone)
    db.session.refresh(others_phone)
    assert phone.revoked_at is not None
    assert others_phone.revoked_at is None


def test_opening_a_record_is_on_the_record_and_lists_the_phones(app_ctx):
    worker = factories.staff(team_=factories.team())
    child = factories.child(worker=worker)
    phone = _phone(child)
    db.session.commit()

    assert caseload.open_record(worker, child, route="staff.child") == [phone]
    assert len(_events("child.viewed")) == 1


def test_away_and_back(app_ctx):
    worker = factories.staff(team_=factories.team())
    db.session.commit()

    assert caseload.toggle_away(worker) is True
    assert caseload.toggle_away(worker) is False
    assert [e.action for e in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))][-2:] == [
        "staff.away",
        "staff.back",
    ]


def test_only_active_social_workers_of_the_team_can_be_allocated(app_ctx):
    team = factories.team()
    worker = factories.staff(team_=team, name="Bea Worker")
    factories.staff(team_=team, active=False)
    factories.staff("team_manager", team_=team)
    factories.staff(team_=factories.team())
    child = factories.child(worker=worker)
    db.session.commit()

    assert [w.name for w in caseload.team_workers(child)] == ["Bea Worker"]
