"""What a child sees about what they sent. Marks replies as seen when the child opens them."""

from __future__ import annotations

import uuid
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from voice import audit, clock
from voice.chat.conversations import childs_own
from voice.extensions import db
from voice.models import Child, ChildReply, Reply, RoutingRecord, Submission, SubmissionAnswer
from voice.once import earlier_post, store_once
from voice.routing import events
from voice.routing.recipients import recipient_for
from voice.safeguarding import alerts
from voice.safeguarding.screening import screen

ANSWER_MAX = 4000  # the same limit as a worker's reply


def for_child(child: Child) -> list[Submission]:
    return list(
        db.session.scalars(
            select(Submission).where(Submission.child_id == child.id).order_by(Submission.sent_at.desc())
        )
    )


def owned(child: Child, submission_id: uuid.UUID) -> Submission | None:
    return childs_own(child, Submission, submission_id, "submission")


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
class ThreadEntry:
    """One message in the thread under what the child sent: a worker's reply, a decision, or
    the child's own answer. ``new`` marks a reply the child had not opened before."""

    who: str  # "worker", "outcome" or "child"
    name: str
    body: str
    at: datetime
    new: bool = False
    concern: bool = False


@dataclass(frozen=True)
class MessageView:
    topics: OrderedDict[str, list[SubmissionAnswer]]
    replies: list[Reply]
    read_by: str | None
    thread: list[ThreadEntry]

    @property
    def can_answer(self) -> bool:
        """A child answers a reply: the box shows once someone has written back."""
        return bool(self.replies)


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
    thread = [
        ThreadEntry(
            "outcome" if r.kind == "outcome" else "worker",
            r.author.first_name,
            r.body,
            r.created_at,
            new=r in unseen,
        )
        for r in replies
    ] + [ThreadEntry("child", "", a.body, a.created_at, concern=a.concern) for a in answers_to(submission)]
    thread.sort(key=lambda e: clock.as_utc(e.at))
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
    return MessageView(topics=topics, replies=replies, read_by=read_by, thread=thread)


def answers_to(submission: Submission) -> list[ChildReply]:
    return list(
        db.session.scalars(
            select(ChildReply)
            .where(ChildReply.submission_id == submission.id)
            .order_by(ChildReply.created_at, ChildReply.id)
        )
    )


def unseen_replies(child: Child) -> dict[uuid.UUID, int]:
    """Replies the child has not opened yet, counted per thread (submission id)."""
    rows = db.session.execute(
        select(Reply.submission_id, func.count(Reply.id))
        .join(Submission, Submission.id == Reply.submission_id)
        .where(Submission.child_id == child.id, Reply.seen_by_child_at.is_(None))
        .group_by(Reply.submission_id)
    ).all()
    return {submission_id: int(count) for submission_id, count in rows}


def clean_answer(body: str) -> str:
    return body.replace("\x00", "").replace("\r\n", "\n").strip()


def answer(child: Child, submission: Submission, body: str, *, key: uuid.UUID) -> ChildReply:
    """The child's answer to a reply, in the same thread. Store first, in ONE transaction: the
    answer (encrypted), a content-free email to whoever receives the child's messages now, an
    alert if the words are a concern (screened like every other free text), and the audit
    row. Commits. The same ``key`` twice (a double tap) returns the first answer.

    The caller has checked the words are there and not too long (``ANSWER_MAX``)."""
    existing, unused = earlier_post(
        key, _answer_by_key, lambda first: first.child_id == child.id and first.submission_id == submission.id
    )
    if existing is not None:
        return existing
    key = unused or uuid.uuid4()  # a key that names someone else's answer is never reused
    text = clean_answer(body)
    screening = screen([text])
    entry = ChildReply(
        submission_id=submission.id, child_id=child.id, key=key, body=text, concern=screening.concern
    )

    def goes_with() -> None:
        events.child_replied(submission, recipient_for(child))
        if screening.concern:
            alert = alerts.raise_alert(
                child, source="reply", submission=submission, categories=screening.categories, words=text
            )
            audit.record(
                "alert.raised", actor=child, child_ref=child.ref, object_type="alert", object_id=alert.id
            )
        audit.record(
            "submission.child_replied",
            actor=child,
            child_ref=child.ref,
            object_type="submission",
            object_id=submission.id,
        )

    return store_once(entry, find_existing=lambda: _answer_by_key(key), then=goes_with)


def _answer_by_key(key: uuid.UUID) -> ChildReply | None:
    return db.session.scalar(select(ChildReply).where(ChildReply.key == key))


def set_reply_texts(child: Child, *, agree: bool, mobile: str | None) -> None:
    """Turn "you have a new message" texts on (with a number) or off (and forget the number:
    it is kept only for these texts). Audited without the number. Commits."""
    child.reply_texts_consent = agree
    child.mobile = mobile.strip() if agree and mobile else None
    audit.record(
        "child.reply_texts_on" if agree else "child.reply_texts_off",
        actor=child,
        child_ref=child.ref,
        object_type="child",
    )
    db.session.commit()
