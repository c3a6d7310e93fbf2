"""Each scenario reaches the person its rule in content/routing.yaml names, by real email;
and with nobody set, the allocated worker and the team manager, never nobody."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.scenarios.conftest import send_scenario, set_child
from voice.extensions import db
from voice.models import OutboxMessage, RoutingRecord, Submission
from voice.routing.outbox import deliver_due

CONTACTS = {
    "return_home_worker_id": "rhi",
    "designated_teacher_id": "teacher",
    "virtual_school_id": "virtual",
}


def _mailed(app, smtp_server) -> list[str]:
    with app.app_context():
        deliver_due()
    return sorted(m.message["To"] for m in smtp_server.messages)


@pytest.mark.parametrize(
    "flow_id, contacts, expected, reason",
    [
        ("worker-visit", CONTACTS, ["worker@voice.test"], "allocated"),
        ("something-worrying", CONTACTS, ["worker@voice.test"], "allocated"),
        ("good-news", CONTACTS, ["worker@voice.test"], "allocated"),
        ("back-from-missing", CONTACTS, ["rhi@voice.test"], "return_home_worker"),
        ("my-education", CONTACTS, ["teacher@voice.test"], "designated_teacher"),
        ("my-education", {"virtual_school_id": "virtual"}, ["virtual@voice.test"], "virtual_school"),
    ],
)
def test_each_scenario_reaches_the_person_its_rule_names(
    app, world, smtp_server, flow_id, contacts, expected, reason
):
    set_child(app, "K-S1", **{field: world["ids"][who] for field, who in contacts.items()})
    sid = send_scenario(app, "K-S1", flow_id)
    assert _mailed(app, smtp_server) == expected
    for mail in smtp_server.messages:
        assert "Pip" not in mail.body and "star at school" not in mail.body  # content-free
    with app.app_context():
        record = db.session.scalar(select(RoutingRecord).where(RoutingRecord.submission_id == sid))
        assert record.reason == reason and record.recipient_staff.email == expected[0]
        submission = db.session.get(Submission, sid)
        assert submission.kind == "scenario" and submission.urgent is (flow_id == "something-worrying")


@pytest.mark.parametrize("flow_id", ["back-from-missing", "my-education"])
def test_with_nobody_set_it_goes_to_the_worker_and_the_manager_is_told(app, world, smtp_server, flow_id):
    sid = send_scenario(app, "K-S1", flow_id)
    assert _mailed(app, smtp_server) == ["manager@voice.test", "worker@voice.test"]
    with app.app_context():
        record = db.session.scalar(select(RoutingRecord).where(RoutingRecord.submission_id == sid))
        assert (record.recipient_staff.email, record.reason) == ("worker@voice.test", "no_contact")


def test_a_contact_who_is_away_falls_back_too_and_with_no_worker_the_manager_receives_it(
    app, world, smtp_server
):
    set_child(app, "K-S1", return_home_worker_id=world["ids"]["rhi"], social_worker_id=None)
    with app.app_context():
        from voice.models import StaffMember

        db.session.get(StaffMember, world["ids"]["rhi"]).away = True
        db.session.commit()
    sid = send_scenario(app, "K-S1", "back-from-missing")
    assert _mailed(app, smtp_server) == ["manager@voice.test"]
    with app.app_context():
        record = db.session.scalar(select(RoutingRecord).where(RoutingRecord.submission_id == sid))
        assert record.reason == "no_contact_no_worker"
        assert db.session.scalar(select(OutboxMessage.to_address)) == "manager@voice.test"


def test_worrying_is_urgent_for_the_worker_in_the_email_queue_and_the_inbox(app, world, smtp_server):
    from tests.helpers.auth import sign_in_staff
    from tests.helpers.pages import PageFetcher

    sid = send_scenario(app, "K-S1", "something-worrying", text="The older boys at the park scare me")
    with app.app_context():
        assert db.session.scalar(select(OutboxMessage.urgent)) is True
    worker = PageFetcher(app.test_client())
    sign_in_staff(worker, "worker@voice.test")
    inbox = worker.get("/staff/")
    assert "Urgent" in inbox.text
    read = worker.get(f"/staff/submissions/{sid}")
    assert "Urgent: the child asked to tell you this now" in read.text
    assert "The older boys at the park scare me" in read.text
