"""Keeping children's words no longer than needed: ``flask --app voice retention run``.

Three cases (THREATS row 36):

- **drafts**: a chat a child started and never sent is deleted once nothing has changed in it
  for ``VOICE_DRAFT_RETENTION_DAYS`` (90 by default). The child is told on the page where they
  start a chat.
- **filed submissions**: once a worker has marked a submission as filed in the council's case
  record (voice/inbox/filing.py), it is deleted ``VOICE_FILED_RETENTION_DAYS`` (90) later, with
  everything made from it: its answers, replies, the child's answers to replies, pictures and
  voice notes, routing records, the visit it prepared and the conversation it came from. The
  safeguarding alert and the outbox rows (content-free) stay, no longer pointing at it.
- **unfiled submissions** are never deleted. One still not filed ``VOICE_FILING_DUE_DAYS`` (28)
  after it was sent sends its worker (or the team's duty inbox) one content-free notice,
  ``filing_overdue``, and is marked so the notice goes once.

Each deleted draft leaves an audit event (no words, just which child and which conversation)
so the council can show what was deleted and when. Run it daily, from cron or a systemd timer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import cast

from flask import current_app
from sqlalchemy import delete, func, select, update
from sqlalchemy.engine import CursorResult

from voice import audit, clock, idempotency
from voice.extensions import db
from voice.inbox.reminders import recipient_email, tell_about
from voice.models import (
    Alert,
    Child,
    ChildMedia,
    ChildReply,
    Conversation,
    MissingEpisode,
    OutboxMessage,
    Reply,
    RoutingRecord,
    Submission,
    SubmissionAnswer,
    Visit,
)

BATCH = 200


@dataclass(frozen=True)
class RetentionReport:
    drafts_deleted: int
    cutoff: datetime
    filed_deleted: int = 0
    overdue_notices: int = 0


def run(*, dry_run: bool = False) -> RetentionReport:
    """All three cases, as ``flask retention run`` does them. Commits."""
    drafts = purge_abandoned_drafts(dry_run=dry_run)
    if not dry_run:
        idempotency.forget_old()  # Idempotency-Key answers are kept for a day (voice/idempotency.py)
    return RetentionReport(
        drafts.drafts_deleted,
        drafts.cutoff,
        filed_deleted=purge_filed_submissions(dry_run=dry_run),
        overdue_notices=notify_overdue_filing(dry_run=dry_run),
    )


def draft_cutoff() -> datetime:
    return clock.now() - timedelta(days=current_app.config["VOICE_DRAFT_RETENTION_DAYS"])


def purge_abandoned_drafts(*, dry_run: bool = False) -> RetentionReport:
    """Delete open conversations untouched since the cutoff. Commits after each batch."""
    cutoff = draft_cutoff()
    stale = (
        select(Conversation.id, Child.ref)
        .join(Child, Child.id == Conversation.child_id)
        .where(Conversation.status == "open", Conversation.updated_at < cutoff)
        .order_by(Conversation.updated_at)
    )
    if dry_run:
        count = select(func.count()).select_from(stale.order_by(None).subquery())
        return RetentionReport(db.session.scalar(count) or 0, cutoff)
    deleted = 0
    while True:
        rows = db.session.execute(stale.limit(BATCH)).all()
        if not rows:
            break
        for conversation_id, child_ref in rows:
            # Checked again in the delete itself: a draft saved a moment ago stays.
            gone = cast(
                CursorResult,
                db.session.execute(
                    delete(Conversation)
                    .where(
                        Conversation.id == conversation_id,
                        Conversation.status == "open",
                        Conversation.updated_at < cutoff,
                    )
                    .execution_options(synchronize_session=False)
                ),
            ).rowcount
            if gone:
                # Its drawing or voice note goes with it (PostgreSQL cascades; SQLite doesn't
                # enforce foreign keys, so say it here too).
                db.session.execute(
                    delete(ChildMedia)
                    .where(ChildMedia.conversation_id == conversation_id, ChildMedia.submission_id.is_(None))
                    .execution_options(synchronize_session=False)
                )
                deleted += 1
                audit.record(
                    "retention.draft_deleted",
                    actor="system",
                    child_ref=child_ref,
                    object_type="conversation",
                    object_id=conversation_id,
                    purpose="retention",
                )
        db.session.commit()
    return RetentionReport(deleted, cutoff)


def _filed_before(cutoff: datetime):
    return select(Submission.id).where(
        Submission.transferred_at.is_not(None), Submission.transferred_at < cutoff
    )


def purge_filed_submissions(*, dry_run: bool = False) -> int:
    """Delete submissions filed in the case record before the cutoff, and what was made from
    them. One audited delete per submission, each in its own transaction."""
    cutoff = clock.now() - timedelta(days=current_app.config["VOICE_FILED_RETENTION_DAYS"])
    due = _filed_before(cutoff).order_by(Submission.transferred_at)
    if dry_run:
        return db.session.scalar(select(func.count()).select_from(due.order_by(None).subquery())) or 0
    deleted = 0
    while ids := db.session.scalars(due.limit(BATCH)).all():
        for submission_id in ids:
            _delete_submission(submission_id)
            deleted += 1
    return deleted


def _delete_submission(submission_id) -> None:
    submission = db.session.get(Submission, submission_id)
    if submission is None:
        return
    child_ref, conversation_id = submission.child.ref, submission.conversation_id
    quiet = {"synchronize_session": False}
    for pointer in (Alert, OutboxMessage, MissingEpisode):  # kept, but no longer pointing at it
        db.session.execute(
            update(pointer)
            .where(pointer.submission_id == submission_id)
            .values(submission_id=None)
            .execution_options(**quiet)
        )
    for model in (SubmissionAnswer, Reply, ChildReply, ChildMedia, RoutingRecord, Visit):
        db.session.execute(
            delete(model).where(model.submission_id == submission_id).execution_options(**quiet)
        )
    db.session.execute(delete(Submission).where(Submission.id == submission_id).execution_options(**quiet))
    if conversation_id is not None:
        db.session.execute(
            delete(ChildMedia).where(ChildMedia.conversation_id == conversation_id).execution_options(**quiet)
        )
        db.session.execute(
            delete(Conversation).where(Conversation.id == conversation_id).execution_options(**quiet)
        )
    db.session.expunge(submission)
    audit.record(
        "retention.submission_deleted",
        actor="system",
        child_ref=child_ref,
        object_type="submission",
        object_id=submission_id,
        purpose="retention",
    )
    db.session.commit()


def notify_overdue_filing(*, dry_run: bool = False) -> int:
    """Tell the worker about each submission still not filed ``VOICE_FILING_DUE_DAYS`` after it
    was sent, once. Such submissions are never deleted. Commits."""
    due_before = clock.now() - timedelta(days=current_app.config["VOICE_FILING_DUE_DAYS"])
    overdue = select(Submission).where(
        Submission.transferred_at.is_(None),
        Submission.transfer_overdue_at.is_(None),
        Submission.sent_at < due_before,
    )
    if dry_run:
        return db.session.scalar(select(func.count()).select_from(overdue.subquery())) or 0
    told = 0
    for submission in db.session.scalars(overdue.order_by(Submission.sent_at)).all():
        tell_about("filing_overdue", submission, recipient_email(submission))
        submission.transfer_overdue_at = clock.now()
        audit.record(
            "retention.filing_overdue",
            actor="system",
            child_ref=submission.child.ref,
            object_type="submission",
            object_id=submission.id,
            purpose="retention",
        )
        told += 1
    db.session.commit()
    return told
