"""Reading, replying to and recording outcomes for a submission. Every read is audited."""

from __future__ import annotations

import uuid
from collections import OrderedDict
from dataclasses import dataclass, field

from sqlalchemy import and_, or_, select

from voice import audit, clock
from voice.extensions import db
from voice.inbox import record as case_record
from voice.inbox.scope import answers_for
from voice.insight import counts
from voice.models import (
    Alert,
    ChildReply,
    Conversation,
    Reply,
    RoutingRecord,
    StaffMember,
    Submission,
    SubmissionAnswer,
)
from voice.once import earlier_post, store_once
from voice.routing import events

REPLY_MAX = 4000


@dataclass(frozen=True)
class ReadView:
    submission: Submission
    topics: OrderedDict[str, list[SubmissionAnswer]]
    replies: list[Reply]
    routing: RoutingRecord | None
    can_reply: bool
    record: case_record.CaseRecord
    alerts: list[Alert] = field(default_factory=list)  # raised from it; the child's own words show
    child_answers: tuple[ChildReply, ...] = ()  # the child's answers to replies, oldest first

    @property
    def child_words(self) -> list[Alert]:
        """Alerts from this submission that carry the child's own added words."""
        return [a for a in self.alerts if a.words]


def current_routing(submission: Submission) -> RoutingRecord | None:
    return db.session.scalar(
        select(RoutingRecord).where(
            RoutingRecord.submission_id == submission.id, RoutingRecord.current.is_(True)
        )
    )


def _is_recipient(staff: StaffMember, submission: Submission, routing: RoutingRecord | None) -> bool:
    if routing is not None and routing.recipient_staff_id == staff.id:
        return True
    return submission.child.social_worker_id == staff.id


def open_for_reading(
    staff: StaffMember, submission: Submission, *, route: str, purpose: str = "read"
) -> ReadView:
    """Audit the read; the recipient's first read marks it read for the child to see. Commits."""
    routing = current_routing(submission)
    audit.record(
        "submission.read",
        actor=staff,
        child_ref=submission.child.ref,
        object_type="submission",
        object_id=submission.id,
        route=route,
        purpose=purpose,
    )
    recipient = _is_recipient(staff, submission, routing)
    if submission.status == "sent" and recipient:
        submission.status = "read"
        submission.read_at = clock.now()
        submission.read_by_id = staff.id
        counts.on_read(submission)
    child_answers = _child_answers(staff, submission)
    if recipient:
        for child_answer in child_answers:
            if child_answer.read_at is None:
                child_answer.read_at, child_answer.read_by_id = clock.now(), staff.id
    db.session.commit()
    topics: OrderedDict[str, list[SubmissionAnswer]] = OrderedDict()
    for answer in answers_for(staff, submission):
        topics.setdefault(answer.topic, []).append(answer)
    replies = list(
        db.session.scalars(
            select(Reply).where(Reply.submission_id == submission.id).order_by(Reply.created_at)
        )
    )
    can_reply = staff.role in ("social_worker", "team_manager", "iro")
    record = case_record.build(staff, submission, topics, replies)
    return ReadView(
        submission, topics, replies, routing, can_reply, record, alerts_with(submission), tuple(child_answers)
    )


def alerts_with(submission: Submission) -> list[Alert]:
    """Alerts raised from this submission, and "I don't feel safe" taps made while the child was
    writing it (between starting the conversation and sending), so the words the child added
    after the tap show with what they sent."""
    linked = Alert.submission_id == submission.id
    conversation_id = submission.conversation_id
    conversation = db.session.get(Conversation, conversation_id) if conversation_id else None
    if conversation is not None:
        while_writing = and_(
            Alert.child_id == submission.child_id,
            Alert.submission_id.is_(None),
            Alert.raised_at >= conversation.started_at,
            Alert.raised_at <= submission.sent_at,
        )
        linked = or_(linked, while_writing)
    return list(db.session.scalars(select(Alert).where(linked).order_by(Alert.raised_at, Alert.id)))


def _child_answers(staff: StaffMember, submission: Submission) -> list[ChildReply]:
    """The child's answers to replies. An IRO sees them only in a thread they wrote in: the
    child wrote back to whoever replied, not to everyone who may see the case."""
    if staff.role == "iro":
        wrote = db.session.scalar(
            select(Reply.id).where(Reply.submission_id == submission.id, Reply.author_id == staff.id).limit(1)
        )
        if wrote is None:
            return []
    return list(
        db.session.scalars(
            select(ChildReply)
            .where(ChildReply.submission_id == submission.id)
            .order_by(ChildReply.created_at, ChildReply.id)
        )
    )


def clean_text(text: str) -> str:
    return text.replace("\x00", "").replace("\r\n", "\n").strip()[:REPLY_MAX]


def reply(
    staff: StaffMember,
    submission: Submission,
    body: str,
    *,
    kind: str = "reply",
    topic: str | None = None,
    key: uuid.UUID | None = None,
) -> Reply:
    """A reply (or an outcome: what was decided) the child will see in My messages. Commits.
    The same ``key`` twice (a double post of one form) returns the first reply."""
    existing, key = earlier_post(
        key, _reply_by_key, lambda first: first.submission_id == submission.id and first.author_id == staff.id
    )
    if existing is not None:
        return existing
    key = key or uuid.uuid4()  # none given, or it names someone else's reply: a fresh one
    entry = Reply(
        submission_id=submission.id,
        author_id=staff.id,
        kind=kind,
        topic=topic,
        body=clean_text(body),
        key=key,
    )

    def goes_with() -> None:
        if submission.status in ("sent", "read"):
            if submission.read_at is None:
                submission.read_at = clock.now()
                submission.read_by_id = staff.id
                counts.on_read(submission)
            submission.status = "replied"
        if submission.replied_at is None:
            submission.replied_at = clock.now()
            counts.on_replied(submission)
        if kind == "outcome":
            counts.on_decision(submission, entry)
        events.reply_waiting(submission)
        audit.record(
            f"submission.{kind}",
            actor=staff,
            child_ref=submission.child.ref,
            object_type="submission",
            object_id=submission.id,
        )

    return store_once(entry, find_existing=lambda: _reply_by_key(key), then=goes_with)


def _reply_by_key(key: uuid.UUID) -> Reply | None:
    return db.session.scalar(select(Reply).where(Reply.key == key))
