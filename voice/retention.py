"""Keeping children's words no longer than needed: ``flask --app voice retention run``.

Built so far: **drafts**. A chat a child started and never sent is deleted once nothing has
changed in it for ``VOICE_DRAFT_RETENTION_DAYS`` (90 by default). The child is told on the page
where they start a chat. Sent submissions are not touched here: they may only go once they are
filed in the council's case record, and Voice does not yet record that filing (see the note on
retention in README.md).

Each deleted draft leaves an audit event (no words, just which child and which conversation)
so the council can show what was deleted and when. Run it daily, from cron or a systemd timer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import cast

from flask import current_app
from sqlalchemy import delete, func, select
from sqlalchemy.engine import CursorResult

from voice import audit, clock
from voice.extensions import db
from voice.models import Child, ChildMedia, Conversation

BATCH = 200


@dataclass(frozen=True)
class RetentionReport:
    drafts_deleted: int
    cutoff: datetime


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
