"""Who may see which child's submissions. One place, used by every staff page and export.

Anything outside a person's scope is "not found" (404), never "forbidden": a 403 would
confirm that the record exists.

- a social worker: children allocated to them, and anything routed to them;
- a team manager: their team's children, and anything routed to them;
- an IRO: children they review, and only the answers the child shared with the IRO;
- a duty worker: their team's duty inbox, and a child with an active alert grant;
- the emergency duty team: only a child with an active alert grant (opened through an alert);
- participation officers and admins: no child data at all.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from sqlalchemy import Select, and_, exists, false, or_, select, union

from voice import clock
from voice.extensions import db
from voice.models import AccessGrant, Child, RoutingRecord, StaffMember, Submission, SubmissionAnswer


def _routed_to(staff: StaffMember):
    return select(RoutingRecord.submission_id).where(
        RoutingRecord.recipient_staff_id == staff.id, RoutingRecord.current.is_(True)
    )


def _children_or_routed(children, staff: StaffMember):
    """Submission ids as one UNION, so each half can use its own index (an OR with EXISTS
    made the database scan every submission)."""
    ids = union(select(Submission.id).where(Submission.child_id.in_(children)), _routed_to(staff))
    return Submission.id.in_(select(ids.subquery().c[0]))


def _social_worker(staff: StaffMember):
    return _children_or_routed(select(Child.id).where(Child.social_worker_id == staff.id), staff)


def _team_manager(staff: StaffMember):
    """A team is a large share of all submissions, so here reading the table once and testing
    each row against the two id lists beats looking each id up through an index (the UNION):
    at 100,000 submissions with half in the team, 3 to 5 times faster on both databases
    (bench/README.md). A caseload is a small share, where the UNION wins."""
    children = select(Child.id).where(Child.team_id == staff.team_id)
    return or_(Submission.child_id.in_(children), Submission.id.in_(_routed_to(staff)))


def _iro(staff: StaffMember):
    reviewed = select(Child.id).where(Child.iro_id == staff.id)
    shared = exists().where(
        SubmissionAnswer.submission_id == Submission.id,
        SubmissionAnswer.share.in_(("worker_iro", "review")),
    )
    return and_(Submission.child_id.in_(reviewed), shared)


def _duty(staff: StaffMember):
    duty_inbox = exists().where(
        RoutingRecord.submission_id == Submission.id,
        RoutingRecord.current.is_(True),
        RoutingRecord.recipient_kind == "duty",
        RoutingRecord.recipient_team_id == staff.team_id,
    )
    granted = select(AccessGrant.child_id).where(
        AccessGrant.staff_id == staff.id, AccessGrant.expires_at > clock.now()
    )
    return or_(duty_inbox, Submission.child_id.in_(granted))


def _granted(staff: StaffMember):
    granted = select(AccessGrant.child_id).where(
        AccessGrant.staff_id == staff.id, AccessGrant.expires_at > clock.now()
    )
    return Submission.child_id.in_(granted)


_RULES: dict[str, Callable[[StaffMember], object]] = {
    "social_worker": _social_worker,
    "team_manager": _team_manager,
    "iro": _iro,
    "duty": _duty,
    "emergency_duty": _granted,
}


def submission_filter(staff: StaffMember):
    rule = _RULES.get(staff.role)
    return rule(staff) if rule is not None else false()


def visible_submissions(staff: StaffMember) -> Select:
    return select(Submission).where(submission_filter(staff))


def find_submission(staff: StaffMember, submission_id: uuid.UUID) -> Submission | None:
    return db.session.scalar(visible_submissions(staff).where(Submission.id == submission_id))


def answers_for(staff: StaffMember, submission: Submission) -> list[SubmissionAnswer]:
    """IROs see only what the child chose to share with them."""
    if staff.role == "iro":
        return [a for a in submission.answers if a.shared_with_iro]
    return list(submission.answers)


def child_filter(staff: StaffMember):
    rules = {
        "social_worker": Child.social_worker_id == staff.id,
        "team_manager": Child.team_id == staff.team_id,
        "iro": Child.iro_id == staff.id,
    }
    return rules.get(staff.role, false())


def find_child(staff: StaffMember, child_id: uuid.UUID) -> Child | None:
    return db.session.scalar(select(Child).where(Child.id == child_id, child_filter(staff)))
