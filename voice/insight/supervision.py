"""One page for reflective supervision: a worker's children, when each last sent something
and where it stands, what is unanswered, and the decisions recorded. Only what the worker's
manager may already open in the inbox; no words of the child's are copied here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from voice.extensions import db
from voice.insight.scope import Scope
from voice.models import Child, Reply, StaffMember, Submission


@dataclass(frozen=True)
class ChildLine:
    child: Child
    last: Submission | None
    unanswered: int
    decisions: int
    last_decision_at: datetime | None


@dataclass(frozen=True)
class Supervision:
    worker: StaffMember
    children: list[ChildLine]
    decisions_in_period: int


def build(worker: StaffMember, scope: Scope) -> Supervision:
    children = list(
        db.session.scalars(
            select(Child).where(Child.social_worker_id == worker.id).order_by(Child.first_name)
        )
    )
    ids = [c.id for c in children]
    latest = {}
    unanswered: dict = {}
    decided: dict = {}
    if ids:
        newest = (
            select(Submission.child_id, func.max(Submission.sent_at).label("at"))
            .where(Submission.child_id.in_(ids))
            .group_by(Submission.child_id)
            .subquery()
        )
        for sub in db.session.scalars(
            select(Submission).join(
                newest, (newest.c.child_id == Submission.child_id) & (newest.c.at == Submission.sent_at)
            )
        ):
            latest[sub.child_id] = sub
        unanswered = dict(
            db.session.execute(
                select(Submission.child_id, func.count(Submission.id))
                .where(Submission.child_id.in_(ids), Submission.status.in_(("sent", "read")))
                .group_by(Submission.child_id)
            ).all()
        )
        for child_id, n, last in db.session.execute(
            select(Submission.child_id, func.count(Reply.id), func.max(Reply.created_at))
            .join(Reply, Reply.submission_id == Submission.id)
            .where(Submission.child_id.in_(ids), Reply.kind == "outcome")
            .group_by(Submission.child_id)
        ):
            decided[child_id] = (n, last)
    in_period = db.session.scalar(
        select(func.count(Reply.id)).where(
            Reply.author_id == worker.id,
            Reply.kind == "outcome",
            Reply.created_at >= scope.period.starts_at,
            Reply.created_at < scope.period.ends_before,
        )
    )
    lines = [
        ChildLine(
            c,
            latest.get(c.id),
            int(unanswered.get(c.id, 0)),
            int(decided.get(c.id, (0, None))[0]),
            decided.get(c.id, (0, None))[1],
        )
        for c in children
    ]
    return Supervision(worker, lines, int(in_period or 0))


def workers(manager: StaffMember) -> list[StaffMember]:
    """The workers in a manager's team, for the links to their supervision pages."""
    return list(
        db.session.scalars(
            select(StaffMember)
            .where(StaffMember.team_id == manager.team_id, StaffMember.role == "social_worker")
            .order_by(StaffMember.name)
        )
    )
