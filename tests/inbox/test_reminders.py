from datetime import datetime

import time_machine
from sqlalchemy import select

from tests.helpers.submissions import send_for
from voice.extensions import db
from voice.models import OutboxMessage, Submission


def _outbox(app, template):
    with app.app_context():
        return [
            m.to_address
            for m in db.session.scalars(select(OutboxMessage).where(OutboxMessage.template == template))
        ]


def test_unread_items_get_a_reminder_then_the_manager_is_told_once(app, world, runner):
    # Monday 9:30 London, so working days are easy to follow.
    with time_machine.travel(datetime(2026, 11, 16, 9, 30), tick=False):
        sid = send_for(app, world["kid_a"], skip_text=True)
    with app.app_context():
        deadline = db.session.get(Submission, sid).review_by
    assert deadline.date().isoformat() == "2026-11-18"  # two working days later

    with time_machine.travel(datetime(2026, 11, 17, 12, 0), tick=False):
        assert runner.invoke(args=["reminders"]).output.strip() == "reminded 0, escalated 0"
    with time_machine.travel(datetime(2026, 11, 18, 12, 0), tick=False):
        assert runner.invoke(args=["reminders"]).output.strip() == "reminded 1, escalated 0"
        assert runner.invoke(args=["reminders"]).output.strip() == "reminded 0, escalated 0"
    assert _outbox(app, "read_reminder") == ["a1@voice.test"]
    with time_machine.travel(datetime(2026, 11, 19, 12, 0), tick=False):
        assert runner.invoke(args=["reminders"]).output.strip() == "reminded 0, escalated 1"
        assert runner.invoke(args=["reminders"]).output.strip() == "reminded 0, escalated 0"
    assert _outbox(app, "escalation") == ["tma@voice.test"]


def test_read_items_are_never_nagged(app, world, runner):
    with time_machine.travel(datetime(2026, 11, 16, 9, 30), tick=False):
        sid = send_for(app, world["kid_a"], skip_text=True)
    with app.app_context():
        db.session.get(Submission, sid).status = "read"
        db.session.commit()
    with time_machine.travel(datetime(2026, 11, 25, 12, 0), tick=False):
        assert runner.invoke(args=["reminders"]).output.strip() == "reminded 0, escalated 0"


def _answer_from_child(app, sid, words="ok but can we talk on friday") -> None:
    import uuid

    from voice.chat import messages

    with app.test_request_context():
        submission = db.session.get(Submission, sid)
        messages.answer(submission.child, submission, words, key=uuid.uuid4())


def _open_as(app, email, sid) -> None:
    from voice.inbox import reading
    from voice.models import StaffMember

    with app.test_request_context():
        staff = db.session.scalar(select(StaffMember).where(StaffMember.email == email))
        reading.open_for_reading(staff, db.session.get(Submission, sid), route="test")


def test_a_childs_unread_answer_gets_a_reminder_then_the_manager_is_told_once(app, world, runner):
    with time_machine.travel(datetime(2026, 11, 16, 9, 30), tick=False):
        sid = send_for(app, world["kid_a"], skip_text=True)
        _open_as(app, "a1@voice.test", sid)  # the worker read what was sent
    with time_machine.travel(datetime(2026, 11, 23, 10, 0), tick=False):  # the next Monday
        _answer_from_child(app, sid)
        _answer_from_child(app, sid, "and also about my phone")
        assert runner.invoke(args=["reminders"]).output.strip() == "reminded 0, escalated 0"
    with time_machine.travel(datetime(2026, 11, 25, 12, 0), tick=False):  # two working days on
        assert runner.invoke(args=["reminders"]).output.strip() == "reminded 1, escalated 0"
        assert runner.invoke(args=["reminders"]).output.strip() == "reminded 0, escalated 0"
    assert _outbox(app, "read_reminder") == ["a1@voice.test"]
    with time_machine.travel(datetime(2026, 11, 26, 12, 0), tick=False):
        assert runner.invoke(args=["reminders"]).output.strip() == "reminded 0, escalated 1"
        assert runner.invoke(args=["reminders"]).output.strip() == "reminded 0, escalated 0"
    assert _outbox(app, "escalation") == ["tma@voice.test"]


def test_an_answer_the_worker_has_opened_is_not_nagged_and_a_later_one_starts_again(app, world, runner):
    with time_machine.travel(datetime(2026, 11, 16, 9, 30), tick=False):
        sid = send_for(app, world["kid_a"], skip_text=True)
        _open_as(app, "a1@voice.test", sid)
        _answer_from_child(app, sid)
    with time_machine.travel(datetime(2026, 11, 17, 9, 0), tick=False):
        _open_as(app, "a1@voice.test", sid)  # read the next morning
    with time_machine.travel(datetime(2026, 11, 30, 12, 0), tick=False):
        assert runner.invoke(args=["reminders"]).output.strip() == "reminded 0, escalated 0"
        _answer_from_child(app, sid, "you didnt write back")
    with time_machine.travel(datetime(2026, 12, 2, 12, 0), tick=False):
        assert runner.invoke(args=["reminders"]).output.strip() == "reminded 1, escalated 0"
    assert _outbox(app, "read_reminder") == ["a1@voice.test"]
