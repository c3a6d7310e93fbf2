"""Nudges for unread items: a reminder to the recipient, then a word to the team manager.

Each submission has a human-review deadline (``review_by``: a set number of working days, or
an hour for a possible concern). Past it and still unread, the recipient gets a reminder; one
working day later, still unread, the team manager (or the duty inbox) is told. Outbox rows
record what was sent, so running this twice never nags twice.

A child's answer to a reply (``ChildReply``) gets the same two steps, counted from when the
child sent it: the same number of working days, then one more. The reminder for a thread is
recorded against its submission; one sent after the oldest unread answer covers every answer
in that thread, so a child who answers three times still brings one reminder.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from sqlalchemy import exists, func, select

from voice import clock
from voice.extensions import db
from voice.models import ChildReply, OutboxMessage, Submission
from voice.routing import notifications
from voice.routing.working_time import add_working_days


@dataclass(frozen=True)
class ReminderReport:
    reminded: int = 0
    escalated: int = 0


def _sent(template: str):
    return exists().where(OutboxMessage.submission_id == Submission.id, OutboxMessage.template == template)


def recipient_email(submission: Submission) -> str:
    from voice.inbox.reading import current_routing

    routing = current_routing(submission)
    if routing is not None and routing.recipient_staff is not None and routing.recipient_staff.active:
        return routing.recipient_staff.email
    return submission.child.team.duty_email


def tell_about(kind: str, submission: Submission, to_address: str) -> None:
    """Queue a content-free notice of ``kind`` about ``submission``, linking to its page."""
    notifications.enqueue(
        kind,
        to_address=to_address,
        reference=submission.reference,
        link=f"{current_app.config['VOICE_BASE_URL']}/staff/submissions/{submission.id}",
        submission_id=submission.id,
    )


def _manager_email(submission: Submission) -> str:
    manager = submission.child.team.manager
    return manager.email if manager is not None and manager.active else submission.child.team.duty_email


def send_due(now: datetime | None = None) -> ReminderReport:
    """Queue reminders and escalations that are due. Commits."""
    now = now or clock.now()
    unread = select(Submission).where(Submission.status == "sent", Submission.review_by < now)
    reminded = escalated = 0
    for submission in db.session.scalars(unread.where(~_sent("read_reminder"))):
        tell_about("read_reminder", submission, recipient_email(submission))
        reminded += 1
    for submission in db.session.scalars(unread.where(_sent("read_reminder"), ~_sent("escalation"))):
        if add_working_days(clock.as_utc(submission.review_by), 1) > now:
            continue
        tell_about("escalation", submission, _manager_email(submission))
        escalated += 1
    answers = _unread_answers_due(now)
    db.session.commit()
    return ReminderReport(reminded + answers.reminded, escalated + answers.escalated)


def _sent_since(submission: Submission, template: str, since: datetime) -> datetime | None:
    return db.session.scalar(
        select(func.min(OutboxMessage.created_at)).where(
            OutboxMessage.submission_id == submission.id,
            OutboxMessage.template == template,
            OutboxMessage.created_at >= since,
        )
    )


def _unread_answers_due(now: datetime) -> ReminderReport:
    """Reminders, then escalations, for threads where a child's answer is still unread past
    the working-day limit. Queued only; ``send_due`` commits."""
    days = current_app.config["VOICE_READ_REMINDER_WORKING_DAYS"]
    oldest = (
        select(ChildReply.submission_id, func.min(ChildReply.created_at).label("since"))
        .where(ChildReply.read_at.is_(None))
        .group_by(ChildReply.submission_id)
    )
    reminded = escalated = 0
    for submission_id, since in db.session.execute(oldest).all():
        since = clock.as_utc(since)
        if add_working_days(since, days) > now:
            continue
        submission = db.session.get(Submission, submission_id)
        if submission is None:
            continue
        reminder_at = _sent_since(submission, "read_reminder", since)
        if reminder_at is None:
            kind, to_address = "read_reminder", recipient_email(submission)
            reminded += 1
        elif (
            _sent_since(submission, "escalation", since) is None
            and add_working_days(clock.as_utc(reminder_at), 1) <= now
        ):
            kind, to_address = "escalation", _manager_email(submission)
            escalated += 1
        else:
            continue
        tell_about(kind, submission, to_address)
    return ReminderReport(reminded, escalated)
