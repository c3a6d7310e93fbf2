""" "My worker is visiting": the visit a child got ready for, the one question afterwards, and
the purposeful visits figure for Insight.

A visit is kept when the child sends the ``worker-visit`` chat. Its day is the child's answer
to the flow's ``date`` question when they shared it; when they skipped it or kept it private,
the day they sent it (the worker sees no day the child did not share). From the day after the
visit, the child's menu asks "Did you get to talk about what you wanted?" once: yes, some of
it, or no. Those answers are the purposeful visits figure.
"""

from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session, scoped_session

from voice import audit, clock
from voice.extensions import db
from voice.models import Child, Submission
from voice.models.scenarios import TALKED_ABOUT, Visit

VISIT_FLOW = "worker-visit"


def record(submission: Submission) -> Visit:
    """Keep the visit a ``worker-visit`` submission plans (in the caller's transaction)."""
    shared_day = next(
        (a.choices for a in submission.answers if a.answer_type == "date" and a.choices and not a.skipped),
        None,
    )
    visit_on = date.fromisoformat(shared_day) if shared_day else clock.now().date()
    visit = Visit(child_id=submission.child_id, submission_id=submission.id, visit_on=visit_on)
    db.session.add(visit)
    return visit


def for_child(child: Child, limit: int = 5) -> list[Visit]:
    """The child's latest planned visits, newest day first, for the staff child page."""
    return list(
        db.session.scalars(
            select(Visit).where(Visit.child_id == child.id).order_by(Visit.visit_on.desc()).limit(limit)
        )
    )


def question_due(child: Child) -> Visit | None:
    """The visit to ask about now: its day has passed and the child has not answered."""
    return db.session.scalar(
        select(Visit)
        .where(Visit.child_id == child.id, Visit.visit_on < clock.now().date(), Visit.talked_about.is_(None))
        .order_by(Visit.visit_on.desc())
    )


def answer(child: Child, visit_id: uuid.UUID | int, talked_about: str) -> bool:
    """Keep the child's answer once. False when it is not theirs, not due, or not an answer."""
    visit = question_due(child)
    if visit is None or visit.id != visit_id or talked_about not in TALKED_ABOUT:
        return False
    visit.talked_about = talked_about
    visit.answered_at = clock.now()
    audit.record("visit.answered", actor=child, child_ref=child.ref, object_type="visit", object_id=visit.id)
    db.session.commit()
    return True


@dataclass(frozen=True)
class PurposefulVisits:
    """Visits with their day in the period. ``planned``: children got ready for a visit;
    ``answered``: they said afterwards whether they talked about what they wanted; ``yes``,
    ``some``, ``no``: what they said; ``purposeful_percent``: yes as a share of answered
    (None when nobody answered), rounded to a whole number."""

    start: str
    end: str
    team_id: int | None
    planned: int
    answered: int
    yes: int
    some: int
    no: int
    purposeful_percent: int | None

    def as_dict(self) -> dict:
        return asdict(self)


def purposeful_visits(
    session: Session | scoped_session, start: date, end: date, team: int | None = None
) -> PurposefulVisits:
    """The purposeful visits figure for visits dated ``start`` to ``end`` (both included),
    for one team (its id) or everyone. Counts only: no child is named, so it is safe to show
    in Insight and to export. Takes the session so a caller outside a request can use it."""
    query = (
        select(Visit.talked_about, func.count())
        .where(Visit.visit_on >= start, Visit.visit_on <= end)
        .group_by(Visit.talked_about)
    )
    if team is not None:
        query = query.join(Child, Child.id == Visit.child_id).where(Child.team_id == team)
    counts: dict[str | None, int] = {key: n for key, n in session.execute(query).all()}
    answered = sum(n for key, n in counts.items() if key is not None)
    yes = counts.get("yes", 0)
    return PurposefulVisits(
        start=start.isoformat(),
        end=end.isoformat(),
        team_id=team,
        planned=sum(counts.values()),
        answered=answered,
        yes=yes,
        some=counts.get("some", 0),
        no=counts.get("no", 0),
        purposeful_percent=round(100 * yes / answered) if answered else None,
    )
