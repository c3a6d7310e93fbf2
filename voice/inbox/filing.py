"""Marking a submission as filed in the council's case record (THREATS row 36).

Voice is not the record: a worker copies (or exports) what the child sent into the case system
and then says so here. From that moment the retention clock runs (voice/retention.py deletes
the submission ``VOICE_FILED_RETENTION_DAYS`` later); until it, nothing is deleted and, past
``VOICE_FILING_DUE_DAYS``, the worker is told it is still waiting.
"""

from __future__ import annotations

from typing import cast

from sqlalchemy import update
from sqlalchemy.engine import CursorResult

from voice import audit, clock
from voice.extensions import db
from voice.models import StaffMember, Submission


def mark_filed(staff: StaffMember, submission: Submission) -> bool:
    """Record the filing once. False when someone already had (the first mark stands). Commits."""
    return _change(staff, submission, filed=True)


def unmark_filed(staff: StaffMember, submission: Submission) -> bool:
    """Undo a mark made by mistake: the submission waits to be filed again and the retention
    clock stops. False when it was not marked (a second click changes nothing). Commits."""
    return _change(staff, submission, filed=False)


def _change(staff: StaffMember, submission: Submission, *, filed: bool) -> bool:
    """One conditional UPDATE, so two clicks at once change (and audit) it once."""
    was = Submission.transferred_at.is_(None) if filed else Submission.transferred_at.is_not(None)
    done = cast(
        CursorResult,
        db.session.execute(
            update(Submission)
            .where(Submission.id == submission.id, was)
            .values(
                transferred_at=clock.now() if filed else None,
                transferred_by_id=staff.id if filed else None,
            )
            .execution_options(synchronize_session=False)
        ),
    ).rowcount
    if done:
        audit.record(
            "submission.filed" if filed else "submission.unfiled",
            actor=staff,
            child_ref=submission.child.ref,
            object_type="submission",
            object_id=submission.id,
        )
    db.session.commit()
    db.session.refresh(submission)
    return bool(done)
