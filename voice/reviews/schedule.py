"""``reviews schedule``: open each consultation on time, invite, remind, and tell staff.

Run daily (the ``deliver`` worker calls it every round; a run that has nothing to do costs one
query). For each review not yet held:

- ``VOICE_REVIEW_OPEN_WORKING_DAYS`` working days before it (default 15), open the
  consultation and send the child a single-use link, by text to their own phone or, under
  ``VOICE_REVIEW_CARER_UNDER_AGE``, to their carer by text or email. With no way to reach
  anyone, the worker is told to invite by hand; no reminder goes to nowhere;
- at each ``VOICE_REVIEW_REMINDER_WORKING_DAYS`` point, if nothing has arrived, remind;
- at ``VOICE_REVIEW_NUDGE_WORKING_DAYS``, if nothing has arrived, tell the worker and IRO.

Each review is handled in its own transaction with its row locked (``FOR UPDATE SKIP LOCKED``
on PostgreSQL, as the outbox does), and every step inserts a row under a unique constraint
first, so a second run or a second worker opens and sends nothing twice.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from flask import current_app
from sqlalchemy import exists, select
from sqlalchemy.exc import IntegrityError

from voice import audit, clock
from voice.auth.secrets import new_token, token_hash
from voice.extensions import db
from voice.models import (
    Child,
    Conversation,
    Device,
    Invitation,
    Review,
    ReviewConsultation,
    ReviewNotice,
    Submission,
)
from voice.references import new_reference
from voice.reviews import statutory
from voice.routing import channels, notifications
from voice.routing.working_time import LONDON

log = logging.getLogger(__name__)


@dataclass
class ScheduleReport:
    opened: int = 0
    invited: int = 0
    by_hand: int = 0
    reminded: int = 0
    nudged: int = 0
    skipped_locked: int = 0
    opened_reviews: list[int] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"reviews: {self.opened} consultations opened ({self.invited} invited, {self.by_hand} to invite "
            f"by hand), {self.reminded} reminders, {self.nudged} workers told nothing has arrived"
        )


def open_on(due_on: date, working_days: int) -> date:
    """The working day a consultation opens: ``working_days`` working days before the review."""
    return statutory.add_working_days(due_on, -working_days)


def run(today: date | None = None) -> ScheduleReport:
    today = today or clock.now().astimezone(LONDON).date()
    config = current_app.config
    lead = config["VOICE_REVIEW_OPEN_WORKING_DAYS"]
    # A generous calendar-day horizon; the exact working-day test is per review below.
    horizon = today + timedelta(days=lead * 2 + 21)
    candidates = db.session.scalars(
        select(Review.id)
        .where(Review.held_on.is_(None), Review.due_on >= today, Review.due_on <= horizon)
        .order_by(Review.due_on)
    ).all()
    db.session.rollback()
    report = ScheduleReport()
    for review_id in candidates:
        try:
            _one(review_id, today, report)
            db.session.commit()
        except IntegrityError:
            # Another worker did this step first between our check and our insert.
            db.session.rollback()
        except Exception:
            db.session.rollback()
            log.exception("reviews schedule: review %s failed; the others go on", review_id)
    return report


def _one(review_id: int, today: date, report: ScheduleReport) -> None:
    config = current_app.config
    review = db.session.scalar(
        select(Review)
        .where(Review.id == review_id, Review.held_on.is_(None))
        .with_for_update(skip_locked=True, of=Review)
    )
    if review is None:
        report.skipped_locked += 1
        return
    consultation = db.session.scalar(
        select(ReviewConsultation).where(ReviewConsultation.review_id == review.id)
    )
    if consultation is None:
        if today < open_on(review.due_on, config["VOICE_REVIEW_OPEN_WORKING_DAYS"]):
            return
        _open(review, today, report)
        return
    if _arrived(review, consultation):
        return
    sent_today = db.session.scalar(
        select(exists().where(ReviewNotice.review_id == review.id, ReviewNotice.sent_on == today))
    )
    nudge_from = statutory.add_working_days(review.due_on, -config["VOICE_REVIEW_NUDGE_WORKING_DAYS"])
    if today >= nudge_from and _claim(review, "staff_nudge", today):
        _tell_staff(review, "review_no_response")
        report.nudged += 1
    if consultation.route == "by_hand" or sent_today:
        return
    points = config["VOICE_REVIEW_REMINDER_WORKING_DAYS"]
    due_points = [i for i, p in enumerate(points) if today >= statutory.add_working_days(review.due_on, -p)]
    if not due_points:
        return
    kind = f"reminder_{due_points[-1] + 1}"
    if _claim(review, kind, today):
        for earlier in range(1, due_points[-1] + 1):  # a missed earlier point is not sent late
            _claim(review, f"reminder_{earlier}", today)
        _invite(review, today, reminder=True)
        report.reminded += 1


def _claim(review: Review, kind: str, today: date) -> bool:
    """Insert the notice row first; False if it already exists (sent before, or by another worker)."""
    if db.session.scalar(
        select(exists().where(ReviewNotice.review_id == review.id, ReviewNotice.kind == kind))
    ):
        return False
    with db.session.begin_nested():
        db.session.add(ReviewNotice(review_id=review.id, kind=kind, sent_on=today, messages=0))
    return True


def route_for(child: Child, today: date) -> tuple[str, str | None]:
    """How the invitation reaches the child, and the address; ``("by_hand", None)`` if nobody."""
    config = current_app.config
    sms = channels.get("notify_sms").is_configured(config)
    young = child.age_on(today) < config["VOICE_REVIEW_CARER_UNDER_AGE"]
    if not young and child.mobile and sms:
        return "child_sms", child.mobile
    if child.carer_mobile and sms:
        return "carer_sms", child.carer_mobile
    if child.carer_email:
        return "carer_email", child.carer_email
    return "by_hand", None


def _open(review: Review, today: date, report: ScheduleReport) -> None:
    child = review.child
    route, _ = route_for(child, today)
    with db.session.begin_nested():
        db.session.add(
            ReviewConsultation(review_id=review.id, child_id=child.id, opened_on=today, route=route)
        )
    audit.record(
        "review.consultation_opened",
        actor="system",
        child_ref=child.ref,
        object_type="review",
        object_id=review.id,
    )
    report.opened += 1
    report.opened_reviews.append(review.id)
    if route == "by_hand":
        _claim(review, "by_hand", today)
        _tell_staff(review, "review_invite_by_hand", iro=False)
        report.by_hand += 1
        return
    _claim(review, "invite", today)
    _invite(review, today, reminder=False)
    report.invited += 1


def _invite(review: Review, today: date, *, reminder: bool) -> None:
    child = review.child
    route, address = route_for(child, today)  # contacts may have changed since opening
    if address is None:
        if _claim(review, "by_hand", today):
            _tell_staff(review, "review_invite_by_hand", iro=False)
        return
    carer = route.startswith("carer")
    kind = ("review_reminder" if reminder else "review_invite") + ("_carer" if carer else "")
    notifications.enqueue(
        kind,
        to_address=address,
        reference=new_reference("R"),
        link=_link_for(child, review, reminder=reminder),
        channel="notify_sms" if route.endswith("sms") else None,
        language=None if carer else child.preferred_language,
    )


def _link_for(child: Child, review: Review, *, reminder: bool) -> str:
    """A fresh single-use invitation, valid until the day after the review. A reminder to a
    child who already has Voice on a phone links to the PIN page instead: no new link to leak."""
    base = current_app.config["VOICE_BASE_URL"]
    if reminder and db.session.scalar(
        select(
            exists().where(
                Device.child_id == child.id, Device.revoked_at.is_(None), Device.pin_hash.is_not(None)
            )
        )
    ):
        return f"{base}/sign-in"
    token = new_token(32)
    expires = datetime.combine(review.due_on + timedelta(days=1), time(23, 59), tzinfo=LONDON)
    db.session.add(Invitation(child_id=child.id, token_hash=token_hash(token), expires_at=expires))
    audit.record("invite.created", actor="system", child_ref=child.ref, object_type="invitation")
    return f"{base}/start/{token}"


def _tell_staff(review: Review, kind: str, *, iro: bool = True) -> None:
    """Email the worker (or the team's duty inbox when nobody is allocated) and the IRO."""
    child = review.child
    worker = child.social_worker
    addresses = [worker.email if worker is not None and worker.active else child.team.duty_email]
    if iro and child.iro is not None and child.iro.active:
        addresses.append(child.iro.email)
    link = f"{current_app.config['VOICE_BASE_URL']}/staff/children/{child.id}"
    for address in dict.fromkeys(addresses):
        notifications.enqueue(kind, to_address=address, reference=new_reference("R"), link=link)


def _arrived(review: Review, consultation: ReviewConsultation) -> bool:
    """Has the child sent anything for this review (or since the consultation opened)?"""
    opened = datetime.combine(consultation.opened_on, time(0), tzinfo=LONDON)
    return bool(
        db.session.scalar(
            select(
                exists().where(
                    Submission.child_id == review.child_id,
                    (Submission.review_id == review.id) | (Submission.sent_at >= opened),
                )
            )
        )
    )


def started(review: Review, consultation: ReviewConsultation) -> bool:
    opened = datetime.combine(consultation.opened_on, time(0), tzinfo=LONDON)
    return bool(
        db.session.scalar(
            select(
                exists().where(
                    Conversation.child_id == review.child_id,
                    (Conversation.review_id == review.id) | (Conversation.started_at >= opened),
                )
            )
        )
    )
