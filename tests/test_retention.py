"""Retention (voice/retention.py): drafts nobody sent go after 90 quiet days; nothing else does."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from sqlalchemy import func, select

from tests import factories
from tests.helpers.child import sign_in_directly
from tests.helpers.pages import PageFetcher
from tests.helpers.submissions import send_for
from voice import clock, retention
from voice.chat import conversations
from voice.extensions import db
from voice.models import AuditEvent, Child, Conversation, Submission


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
