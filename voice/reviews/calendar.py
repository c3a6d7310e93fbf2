"""Reading the calendar: upcoming reviews and where each child's views are, the review pack,
moving a review, recording what was decided, and the child's own view of decisions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from voice import audit, clock
from voice.extensions import db
from voice.inbox.scope import child_filter
from voice.insight import counts
from voice.models import (
    Child,
    Review,
    ReviewConsultation,
    ReviewDateChange,
    StaffMember,
    Submission,
    SubmissionAnswer,
)
from voice.reviews import statutory
from voice.reviews.schedule import started
from voice.routing.working_time import LONDON

STATES = ("not_opened", "invited", "started", "sent", "read", "replied")
_BY_STATUS = {"sent": "sent", "read": "read", "replied": "replied", "closed": "replied"}


class ReviewError(ValueError):
    """A change that cannot be made; the message is shown to the person who asked."""


@dataclass(frozen=True)
class UpcomingReview:
    review: Review
    child: Child
    state: str
    submission: Submission | None
    consultation: ReviewConsultation | None
    overdue: bool

    @property
    def views_in(self) -> bool:
        return self.submission is not None


def today() -> date:
    return clock.now().astimezone(LONDON).date()


def latest_submission(review: Review, consultation: ReviewConsultation | None) -> Submission | None:
    """What the child sent for this review: linked to it, or sent since the consultation opened."""
    condition = Submission.review_id == review.id
    if consultation is not None:
        opened = datetime.combine(consultation.opened_on, time(0), tzinfo=LONDON)
        condition = condition | ((Submission.sent_at >= opened) & (Submission.kind == "pre_review"))
    return db.session.scalar(
        select(Submission)
        .where(Submission.child_id == review.child_id, condition)
        .order_by(Submission.sent_at.desc())
        .limit(1)
    )


def describe(review: Review, on: date) -> UpcomingReview:
    consultation = db.session.scalar(
        select(ReviewConsultation).where(ReviewConsultation.review_id == review.id)
    )
    submission = latest_submission(review, consultation)
    if submission is not None:
        state = _BY_STATUS.get(submission.status, "sent")
    elif consultation is None:
        state = "not_opened"
    else:
        state = "started" if started(review, consultation) else "invited"
    return UpcomingReview(review, review.child, state, submission, consultation, review.overdue(on))


def upcoming(
    *, days: int = 56, staff: StaffMember | None = None, on: date | None = None
) -> list[UpcomingReview]:
    """Every review not yet held that is due in the next ``days`` days, and any overdue ones.

    With ``staff``, only the children that person may see (``voice.inbox.scope``)."""
    on = on or today()
    stmt = (
        select(Review)
        .join(Child, Child.id == Review.child_id)
        .where(Review.held_on.is_(None), Review.due_on <= on + timedelta(days=days))
        .order_by(Review.due_on, Child.first_name)
    )
    if staff is not None:
        stmt = stmt.where(child_filter(staff))
    return [describe(r, on) for r in db.session.scalars(stmt)]


def as_json(rows: list[UpcomingReview]) -> list[dict[str, object]]:
    return [
        {
            "child_id": row.child.case_id or row.child.ref,
            "ref": row.child.ref,
            "review_on": row.review.due_on.isoformat(),
            "state": row.state,
            "overdue": row.overdue,
            "beyond_statutory": row.review.beyond_statutory,
            "statutory_by": row.review.statutory_by.isoformat() if row.review.statutory_by else None,
        }
        for row in rows
    ]


def find_review(staff: StaffMember, review_id: int) -> Review | None:
    """A review of a child this person may see, else None (the page answers 404)."""
    return db.session.scalar(
        select(Review)
        .join(Child, Child.id == Review.child_id)
        .where(Review.id == review_id, child_filter(staff))
    )


# ------------------------------------------------------------------------------------- the pack


@dataclass(frozen=True)
class ReviewPack:
    row: UpcomingReview
    answers: list[SubmissionAnswer]
    withheld: int  # answers the child kept for their worker only: counted, never shown


def pack(review: Review, *, by: StaffMember) -> ReviewPack:
    """What goes to the review: the latest submission and only the answers the child shared
    with the IRO or the review. Audited, as a print of a child's words."""
    row = describe(review, today())
    answers: list[SubmissionAnswer] = []
    withheld = 0
    if row.submission is not None:
        answers = [a for a in row.submission.answers if a.shared_with_iro]
        withheld = len(row.submission.answers) - len(answers)
    audit.record(
        "review.pack_printed",
        actor=by,
        child_ref=review.child.ref,
        object_type="review",
        object_id=review.id,
        purpose="export-print",
    )
    db.session.commit()
    return ReviewPack(row, answers, withheld)


# ----------------------------------------------------------------------------------- changing


def move(review: Review, to_date: date, reason: str, *, by: StaffMember) -> None:
    """Move a review (an IRO bringing it forward, or rearranging). Kept with its reason."""
    reason = (reason or "").strip()
    if not reason:
        raise ReviewError("Say why the review is moving.")
    if review.held_on is not None:
        raise ReviewError("This review has already been held.")
    if to_date < today():
        raise ReviewError("The new date is in the past.")
    if to_date == review.due_on:
        raise ReviewError("That is the date it already has.")
    db.session.add(
        ReviewDateChange(
            review_id=review.id, from_date=review.due_on, to_date=to_date, reason=reason, changed_by_id=by.id
        )
    )
    review.due_on = to_date
    audit.record(
        "review.moved", actor=by, child_ref=review.child.ref, object_type="review", object_id=review.id
    )
    db.session.commit()


def record_held(review: Review, held_on: date, decision: str, *, by: StaffMember) -> Review:
    """Record that the review was held and what was decided; book the next one by the rules.

    The decision is shown to the child, so it should be written to them, in their words
    where possible. Returns the next review."""
    decision = (decision or "").strip()
    if not decision:
        raise ReviewError("Write what was decided, for the child to read.")
    if review.held_on is not None:
        raise ReviewError("This review has already been recorded.")
    if held_on > today():
        raise ReviewError("The review date cannot be in the future.")
    review.held_on = held_on
    review.decision = decision
    review.recorded_by_id = by.id
    review.recorded_at = clock.now()
    counts.on_review_decision(review)
    sequence = review.sequence + 1
    statutory_by = statutory.next_review_by(
        became_looked_after_on=review.child.became_looked_after_on, last_review_on=held_on, sequence=sequence
    )
    later = [r for r in review.child.reviews if r.held_on is None and r.id != review.id]
    if later:
        following = later[0]
        following.sequence, following.statutory_by = sequence, statutory_by
    else:
        following = Review(
            child=review.child,
            due_on=statutory_by or statutory.add_months(held_on, statutory.LATER_REVIEW_MONTHS),
            sequence=sequence,
            statutory_by=statutory_by,
        )
        db.session.add(following)
    audit.record(
        "review.recorded", actor=by, child_ref=review.child.ref, object_type="review", object_id=review.id
    )
    db.session.commit()
    return following


def changes(review: Review) -> list[ReviewDateChange]:
    return list(
        db.session.scalars(
            select(ReviewDateChange)
            .where(ReviewDateChange.review_id == review.id)
            .order_by(ReviewDateChange.changed_at)
        )
    )


def decisions_for_child(child: Child) -> list[Review]:
    """Held reviews with a decision, newest first, for the child's My messages. Marks them seen."""
    held = list(
        db.session.scalars(
            select(Review)
            .where(Review.child_id == child.id, Review.held_on.is_not(None), Review.decision.is_not(None))
            .order_by(Review.held_on.desc())
        )
    )
    unseen = [r for r in held if r.decision_seen_by_child_at is None]
    for review in unseen:
        review.decision_seen_by_child_at = clock.now()
    if unseen:
        db.session.commit()
    return held
