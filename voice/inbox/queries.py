"""The inbox: what a member of staff should look at, most urgent and newest first, in pages."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import case, exists, func, or_, select

from voice import clock
from voice.extensions import db
from voice.inbox.scope import submission_filter
from voice.models import Alert, Child, ChildReply, OutboxMessage, StaffMember, Submission

PER_PAGE = 25


@dataclass(frozen=True)
class InboxPage:
    submissions: list[Submission]
    page: int
    pages: int
    total: int
    unread: int
    overdue: int
    new_answers: frozenset = frozenset()  # submissions whose child answered a reply, unread


# The child has answered a reply and nobody it went to has opened it since.
_NEW_ANSWER = exists().where(ChildReply.submission_id == Submission.id, ChildReply.read_at.is_(None))


def inbox(staff: StaffMember, *, page: int = 1, per_page: int = PER_PAGE) -> InboxPage:
    scope = submission_filter(staff)
    now = clock.now()
    counts = db.session.execute(
        select(
            func.count(Submission.id),
            func.count(case((or_(Submission.status == "sent", _NEW_ANSWER), 1))),
            func.count(case((Submission.status == "sent", case((Submission.review_by < now, 1))))),
        ).where(scope)
    ).one()
    total, unread, overdue = int(counts[0]), int(counts[1]), int(counts[2])
    pages = max(1, -(-total // per_page))
    page = min(max(1, page), pages)
    urgent_unread = case(
        (or_(Submission.status == "sent", _NEW_ANSWER), case((Submission.concern.is_(True), 0), else_=1)),
        else_=2,
    )
    rows = db.session.scalars(
        select(Submission)
        .where(scope)
        .order_by(urgent_unread, Submission.sent_at.desc(), Submission.id)
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    new_answers = frozenset(
        db.session.scalars(
            select(ChildReply.submission_id).where(
                ChildReply.submission_id.in_([s.id for s in rows]), ChildReply.read_at.is_(None)
            )
        )
    )
    return InboxPage(list(rows), page, pages, total, unread, overdue, new_answers)


def open_alerts(staff: StaffMember) -> list[Alert]:
    """Alerts waiting for someone to press "I have seen this", for this person's children."""
    if staff.role == "social_worker":
        children = select(Child.id).where(Child.social_worker_id == staff.id)
        where = Alert.child_id.in_(children)
    elif staff.role in ("team_manager", "duty"):
        where = Alert.team_id == staff.team_id
    else:
        return []
    return list(
        db.session.scalars(
            select(Alert).where(where, Alert.status != "acknowledged").order_by(Alert.raised_at.desc())
        )
    )


def undelivered_count(staff: StaffMember) -> int:
    """Notifications that could not be delivered, shown to managers as a problem to fix."""
    if staff.role != "team_manager":
        return 0
    team_addresses = select(StaffMember.email).where(StaffMember.team_id == staff.team_id)
    return int(
        db.session.scalar(
            select(func.count(OutboxMessage.id)).where(
                OutboxMessage.status == "dead",
                or_(
                    OutboxMessage.to_address.in_(team_addresses),
                    OutboxMessage.to_address == _duty_email(staff),
                ),
            )
        )
        or 0
    )


def _duty_email(staff: StaffMember) -> str:
    return staff.team.duty_email if staff.team is not None else ""
