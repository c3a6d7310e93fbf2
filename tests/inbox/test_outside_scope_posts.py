"""Every state-changing staff action on another worker's child (THREATS row 13): strictly 404,
the database exactly as it was (audit and sign-in bookkeeping aside), and each refusal audited."""

from __future__ import annotations

import uuid

import pytest
import time_machine
from sqlalchemy import func, select, text

from tests.helpers.auth import sign_in_staff
from tests.helpers.child import sign_in_directly
from tests.helpers.pages import PageFetcher
from tests.helpers.submissions import send_for
from voice.extensions import db
from voice.models import Alert, AuditEvent, Child, Device

# Tables a refused request may rightly write to: the audit trail and sign-in bookkeeping.
_BOOKKEEPING = {"audit_events", "audit_seals", "auth_sessions", "auth_throttle", "alembic_version"}
WORKDAY = "2026-11-18 11:00"


def _snapshot(app) -> dict[str, list]:
    with app.app_context():
        tables = [t.name for t in db.metadata.sorted_tables if t.name not in _BOOKKEEPING]
        return {
            name: sorted(map(repr, db.session.execute(text(f"SELECT * FROM {name}")).all()))
            for name in tables
        }


@pytest.mark.parametrize("who", ["sw_a2", "sw_b", "tm_b"])
def test_every_action_on_someone_elses_child_is_404_changes_nothing_and_is_audited(app, world, who):
    with time_machine.travel(WORKDAY, tick=False):
        sid = send_for(app, world["kid_a"], text="my carer hits me when im bad")
    phone = app.test_client()
    device_id = sign_in_directly(app, phone, world["kid_a"])
    with app.app_context():
        child_id = Child.by_ref(world["kid_a"]).id
        alert_id = db.session.scalar(select(Alert)).id
        assert db.session.get(Device, device_id)
    outsider = PageFetcher(app.test_client())
    sign_in_staff(outsider, world["emails"][who])
    csrf = outsider.get("/staff/").soup.find("input", attrs={"name": "csrf_token"})["value"]
    actions = {
        f"/staff/submissions/{sid}/reply": {"body": "x", "key": "k1"},
        f"/staff/submissions/{sid}/outcome": {"outcome-topic": "home", "outcome-body": "x"},
        f"/staff/submissions/{sid}/filed": {},
        f"/staff/submissions/{sid}/unfiled": {},
        f"/staff/alerts/{alert_id}/acknowledge": {"action": "seen", "note": "x"},
        f"/staff/children/{child_id}/invite": {},
        f"/staff/children/{child_id}/devices/{device_id}/revoke": {},
        f"/staff/children/{child_id}/unlock": {},
        f"/staff/children/{child_id}/allocation": {"worker": str(world["ids"][who])},
    }
    before = _snapshot(app)
    with app.app_context():
        denied_before = db.session.scalar(select(func.count()).where(AuditEvent.action == "authz.denied"))
    object_refusals = 0
    for url, data in actions.items():
        response = outsider.client.post(url, data={"csrf_token": csrf, **data})
        if response.status_code == 403:
            # A function this role never has (a worker allocating): refused before any child is
            # looked up, so the answer is the same for a child who does not exist.
            nobody = url.replace(str(child_id), str(uuid.uuid4()))
            assert outsider.client.post(nobody, data={"csrf_token": csrf, **data}).status_code == 403
            continue
        assert response.status_code == 404, f"{who} POST {url}: {response.status_code}"
        object_refusals += 1
    assert object_refusals >= len(actions) - 1
    assert _snapshot(app) == before
    with app.app_context():
        denied = db.session.scalar(select(func.count()).where(AuditEvent.action == "authz.denied"))
    assert denied - denied_before >= object_refusals
