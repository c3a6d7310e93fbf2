"""Retention (voice/retention.py, THREATS row 36): drafts nobody sent go after 90 quiet days;
submissions filed in the case record go 90 days after filing, with what was made from them;
submissions never filed stay, and their worker is told once."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from sqlalchemy import func, select

from tests import factories
from tests.helpers.auth import sign_in_staff
from tests.helpers.child import sign_in_directly
from tests.helpers.pages import PageFetcher
from tests.helpers.submissions import send_for
from voice import clock, retention
from voice.chat import conversations
from voice.extensions import db
from voice.models import (
    AuditEvent,
    Child,
    Conversation,
    OutboxMessage,
    Reply,
    RoutingRecord,
    Submission,
    SubmissionAnswer,
)


def _child(ref: str) -> str:
    factories.child(worker=factories.staff(team_=factories.team()), ref=ref)
    db.session.commit()
    return ref


def test_only_drafts_untouched_for_the_retention_period_are_deleted(app):
    start = clock.now()
    with time_machine.travel(start, tick=False), app.test_request_context():
        old_ref, busy_ref, sent_ref = _child("R-0001"), _child("R-0002"), _child("R-0003")
        conversations.start(Child.by_ref(old_ref), "pre-review", language="en")
        conversations.start(Child.by_ref(busy_ref), "pre-review", language="en")
    send_for(app, sent_ref)  # a sent submission is never a draft, however old
    with time_machine.travel(start + timedelta(days=60), tick=False), app.test_request_context():
        busy = conversations.open_for(Child.by_ref(busy_ref))
        busy.state = {**busy.state}  # the child came back and changed something
        busy.updated_at = clock.now()
        db.session.commit()

    with time_machine.travel(start + timedelta(days=91), tick=False), app.test_request_context():
        assert retention.purge_abandoned_drafts(dry_run=True).drafts_deleted == 1
        report = retention.purge_abandoned_drafts()
        assert report.drafts_deleted == 1
        assert conversations.open_for(Child.by_ref(old_ref)) is None
        assert conversations.open_for(Child.by_ref(busy_ref)) is not None
        assert db.session.scalar(select(func.count(Submission.id))) == 1
        assert db.session.scalar(select(func.count(Conversation.id))) == 2  # busy draft + the sent one
        deleted = select(AuditEvent).where(AuditEvent.action == "retention.draft_deleted")
        events = db.session.scalars(deleted).all()
        assert [(e.child_ref, e.object_type) for e in events] == [(old_ref, "conversation")]
        assert retention.purge_abandoned_drafts().drafts_deleted == 0  # nothing left to do


def test_the_retention_period_is_configurable_and_the_cli_reports(app):
    start = clock.now()
    with time_machine.travel(start, tick=False), app.test_request_context():
        conversations.start(Child.by_ref(_child("R-0010")), "pre-review", language="en")
    app.config["VOICE_DRAFT_RETENTION_DAYS"] = 10
    try:
        with time_machine.travel(start + timedelta(days=11), tick=False):
            runner = app.test_cli_runner()
            dry = runner.invoke(args=["retention", "run", "--dry-run"])
            assert dry.exit_code == 0 and "would delete 1 drafts" in dry.output
            real = runner.invoke(args=["retention", "run"])
            assert real.exit_code == 0 and "deleted 1 drafts" in real.output
    finally:
        app.config["VOICE_DRAFT_RETENTION_DAYS"] = 90


def test_children_are_told_before_they_start(app, client):
    with app.app_context():
        ref = _child("R-0020")
    sign_in_directly(app, client, ref)
    page = PageFetcher(client).get("/chat")
    assert "we delete them when nothing has changed for 90 days" in page.text


def _worker_and_child(app, ref: str) -> tuple[str, str]:
    with app.app_context():
        worker = factories.staff(team_=factories.team())
        factories.child(worker=worker, ref=ref)
        db.session.commit()
        return worker.email, ref


def _made_from(submission_id) -> dict[str, int]:
    """How many rows of each kind still hang off one submission."""
    counts = {}
    for model in (SubmissionAnswer, Reply, RoutingRecord):
        counts[model.__tablename__] = db.session.scalar(
            select(func.count()).select_from(model).where(model.submission_id == submission_id)
        )
    counts["submissions"] = db.session.scalar(select(func.count()).where(Submission.id == submission_id))
    return counts


def test_a_filed_submission_goes_with_everything_made_from_it_once_the_period_has_passed(app, client):
    """THREATS 36a: filed in the case record, then deleted VOICE_FILED_RETENTION_DAYS later."""
    email, ref = _worker_and_child(app, "R-0030")
    start = clock.now()
    with time_machine.travel(start, tick=False):
        submission_id = send_for(app, ref)
        kept_id = send_for(app, ref)  # sent the same day, never filed
        page = PageFetcher(client)
        sign_in_staff(page, email)
        seen = page.get(f"/staff/submissions/{submission_id}")
        assert "Not filed in the case record yet" in seen.text
        page.submit(seen, {"reply-body": "Thank you, I will call you."}, selector="form[action$='/reply']")
        filed = page.submit(page.get(f"/staff/submissions/{submission_id}"), selector="section.filing form")
        assert "Filed in the case record on" in filed.text
    with app.app_context():
        conversation_id = db.session.get(Submission, submission_id).conversation_id
        before = _made_from(submission_id)
        assert before["submissions"] == 1 and before["submission_answers"] > 0 and before["replies"] == 1
    with time_machine.travel(start + timedelta(days=89), tick=False), app.app_context():
        assert retention.run().filed_deleted == 0  # not yet
    with time_machine.travel(start + timedelta(days=91), tick=False), app.app_context():
        assert retention.run(dry_run=True).filed_deleted == 1
        report = retention.run()
        assert report.filed_deleted == 1
        assert set(_made_from(submission_id).values()) == {0}
        assert db.session.get(Conversation, conversation_id) is None  # the draft's words too
        assert db.session.get(Submission, kept_id) is not None
        events = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "retention.submission_deleted")
        )
        assert [(e.child_ref, e.object_id) for e in events] == [(ref, str(submission_id))]
        filed_events = select(func.count()).where(AuditEvent.action == "submission.filed")
        assert db.session.scalar(filed_events) == 1
    with time_machine.travel(start + timedelta(days=91), tick=False):
        sign_in_staff(page, email)  # the old session timed out long ago
        assert client.get(f"/staff/submissions/{submission_id}").status_code == 404


def test_an_unfiled_submission_is_never_deleted_and_its_worker_is_told_once(app):
    """THREATS 36b: not filed in the case record: kept, and the worker gets one notice."""
    email, ref = _worker_and_child(app, "R-0040")
    start = clock.now()
    with time_machine.travel(start, tick=False):
        submission_id = send_for(app, ref)
    with time_machine.travel(start + timedelta(days=27), tick=False), app.app_context():
        assert retention.run().overdue_notices == 0
    with time_machine.travel(start + timedelta(days=29), tick=False), app.app_context():
        assert retention.run(dry_run=True).overdue_notices == 1
        assert retention.run().overdue_notices == 1
        assert retention.run().overdue_notices == 0  # once, not every day
        notices = db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.template == "filing_overdue")
        ).all()
        assert [(m.to_address, m.submission_id) for m in notices] == [(email, submission_id)]
        overdue = select(func.count()).where(AuditEvent.action == "retention.filing_overdue")
        assert db.session.scalar(overdue) == 1
    with time_machine.travel(start + timedelta(days=3650), tick=False), app.app_context():
        report = retention.run()
        assert (report.filed_deleted, report.overdue_notices) == (0, 0)
        assert db.session.get(Submission, submission_id) is not None


def test_only_the_first_filing_counts_and_someone_outside_scope_cannot_file(app, client):
    email, ref = _worker_and_child(app, "R-0050")
    submission_id = send_for(app, ref)
    with app.app_context():
        stranger_email = factories.staff(team_=factories.team()).email
        db.session.commit()
    page = PageFetcher(client)
    sign_in_staff(page, stranger_email)
    token = page.get("/staff/").form("form[method=post]").find("input", attrs={"name": "csrf_token"})["value"]
    refused = client.post(f"/staff/submissions/{submission_id}/filed", data={"csrf_token": token})
    assert refused.status_code == 404
    with app.app_context():
        assert db.session.get(Submission, submission_id).transferred_at is None

    sign_in_staff(page, email)
    seen = page.get(f"/staff/submissions/{submission_id}")
    page.submit(seen, selector="section.filing form")
    page.submit(seen, selector="section.filing form")  # the same form posted again: a double tap
    with app.app_context():
        filed = db.session.scalar(select(func.count()).where(AuditEvent.action == "submission.filed"))
        assert filed == 1
        assert db.session.get(Submission, submission_id).transferred_by.email == email
