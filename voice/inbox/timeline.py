"""One child's timeline for staff: what they sent, the replies and decisions, alerts and reviews,
newest first. Only what this person may see: submissions through the same scope as the inbox,
alerts only for roles that handle them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from sqlalchemy import select

from voice import clock
from voice.auth.permissions import has_ability
from voice.extensions import db
from voice.inbox.scope import submission_filter
from voice.models import Alert, Child, Reply, StaffMember, Submission

LIMIT = 200


@dataclass(frozen=True)
class Entry:
    at: datetime | date
    kind: str  # submission, reply, decision, alert, review-due, review-held
    who: str
    submission: Submission | None = None
    alert: Alert | None = None
    topic: str | None = None

    @property
    def sort_key(self) -> datetime:
        if isinstance(self.at, datetime):
            return clock.as_utc(self.at)
        return datetime.combine(self.at, time(12, 0), tzinfo=UTC)


def _may_see_alerts(staff: StaffMember) -> bool:
    return staff.role == "social_worker" or has_ability(staff, "alerts")


def for_child(staff: StaffMember, child: Child) -> list[Entry]:
    submissions = list(
        db.session.scalars(
            select(Submission)
            .where(Submission.child_id == child.id, submission_filter(staff))
            .order_by(Submission.sent_at.desc())
            .limit(LIMIT)
        )
    )
    entries = [Entry(s.sent_at, "submission", child.first_name, submission=s) for s in submissions]
    by_id = {s.id: s for s in submissions}
    if by_id:
        for r in db.session.scalars(select(Reply).where(Reply.submission_id.in_(list(by_id)))):
            kind = "decision" if r.kind == "outcome" else "reply"
            entries.append(Entry(r.created_at, kind, r.author.name, by_id[r.submission_id], topic=r.topic))
    if _may_see_alerts(staff):
        for a in db.session.scalars(select(Alert).where(Alert.child_id == child.id).limit(LIMIT)):
            entries.append(Entry(a.raised_at, "alert", child.first_name, alert=a))
    for review in child.reviews:
        if review.held_on is not None:
            entries.append(Entry(review.held_on, "review-held", ""))
        else:
            entries.append(Entry(review.due_on, "review-due", ""))
    return sorted(entries, key=lambda e: e.sort_key, reverse=True)
