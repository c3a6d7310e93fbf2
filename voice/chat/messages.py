"""What a child sees about what they sent. Marks replies as seen when the child opens them."""

from __future__ import annotations

import uuid
from collections import OrderedDict
from dataclasses import dataclass

from sqlalchemy import select

from voice import audit, clock
from voice.extensions import db
from voice.models import Child, Reply, RoutingRecord, Submission, SubmissionAnswer


def for_child(child: Child) -> list[Submission]:
    return list(
        db.session.scalars(
            select(Submission).where(Submission.child_id == child.id).order_by(Submission.sent_at.desc())
        )
    )


def owned(child: Child, submission_id: uuid.UUID) -> Submission | None:
    submission = db.session.get(Submission, submission_id)
    if submission is None or submission.child_id != child.id:
        if submission is not None:
            audit.record("authz.denied", actor=child, object_type="submission", object_id=submission_id)
            db.session.commit()
        return None
    return submission


def worker_name(submission: Submission) -> str:
    """The first name of whoever it went to, or a plain description of a team inbox."""
    record = db.session.scalar(
        select(RoutingRecord).where(
            RoutingRecord.submission_id == submission.id, RoutingRecord.current.is_(True)
        )
    )
    if record is not None and record.recipient_staff is not None:
        return record.recipient_staff.first_name
    worker = submission.child.social_worker
    return worker.first_name if worker is not None else ""


@dataclass(frozen=True)
class MessageView:
    topics: OrderedDict[str, list[SubmissionAnswer]]
    replies: list[Reply]
    read_by: str | None


def view(submission: Submission) -> MessageView:
    topics: OrderedDict[str, list[SubmissionAnswer]] = OrderedDict()
    for answer in submission.answers:
        topics.setdefault(answer.topic, []).append(answer)
    replies = list(
        db.session.scalars(
            select(Reply).where(Reply.submission_id == submission.id).order_by(Reply.created_at)
        )
    )
    unseen = [r for r in replies if r.seen_by_child_at is None]
    for reply in unseen:
        reply.seen_by_child_at = clock.now()
    audit.record(
        "submission.viewed_by_child",
        actor=submission.child,
        child_ref=submission.child.ref,
        object_type="submission",
        object_id=submission.id,
    )
    db.session.commit()
    read_by = submission.read_by.first_name if submission.read_by is not None else None
    return MessageView(topics=topics, replies=replies, read_by=read_by)
