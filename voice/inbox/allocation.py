"""Changing who a child's social worker is. Unread items move with the child."""

from __future__ import annotations

from sqlalchemy import select

from voice import audit
from voice.extensions import db
from voice.models import Child, RoutingRecord, StaffMember, Submission
from voice.routing import events
from voice.routing.recipients import recipient_for, routing_record


def reallocate(child: Child, new_worker: StaffMember | None, *, by: StaffMember) -> int:
    """Allocate a new worker; re-route the child's unread submissions to them. Commits.

    Returns how many unread submissions moved. The child sees the new worker's first name from
    now on (My messages reads the current routing record).
    """
    child.social_worker = new_worker
    db.session.flush()
    moved = 0
    unread = db.session.scalars(
        select(Submission).where(Submission.child_id == child.id, Submission.status == "sent")
    )
    for submission in unread:
        for record in db.session.scalars(
            select(RoutingRecord).where(
                RoutingRecord.submission_id == submission.id, RoutingRecord.current.is_(True)
            )
        ):
            record.current = False
        recipient = recipient_for(child)
        new_record = routing_record(submission.id, recipient)
        new_record.reason = "reallocated"
        db.session.add(new_record)
        events.submission_sent(submission, recipient)
        moved += 1
    audit.record("child.reallocated", actor=by, child_ref=child.ref, object_type="child", object_id=child.id)
    db.session.commit()
    return moved
