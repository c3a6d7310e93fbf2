"""The review calendar: the consultation opened before each review, what was sent for it, and
every change of a review's date.

Uniqueness does the idempotency work: one consultation per review, one notice per review and
kind. Two schedulers racing (or one run twice) insert the same row; the loser's insert fails
and it sends nothing.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from voice.crypto import EncryptedText
from voice.extensions import Model
from voice.models.people import Review, StaffMember
from voice.models.types import created_at_column

# How the invitation reaches the child: their own phone, their carer's, the carer's email, or
# nobody (the worker is told to invite by hand).
ROUTES = ("child_sms", "carer_sms", "carer_email", "by_hand")
NOTICE_KINDS = ("invite", "reminder_1", "reminder_2", "staff_nudge", "by_hand")


class ReviewConsultation(Model):
    """The pre-review consultation for one review, opened by ``reviews schedule``."""

    __tablename__ = "review_consultations"
    __table_args__ = (
        CheckConstraint(
            "route IN ('child_sms','carer_sms','carer_email','by_hand')",
            name="route_known",
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id"), unique=True)
    child_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("children.id"), index=True)
    opened_on: Mapped[date] = mapped_column(Date)
    route: Mapped[str] = mapped_column(String(16))
    opened_at: Mapped[datetime] = created_at_column()

    review: Mapped[Review] = relationship()


class ReviewNotice(Model):
    """One message sent (or one task given to a worker) for a review. Never twice."""

    __tablename__ = "review_notices"
    __table_args__ = (
        UniqueConstraint("review_id", "kind", name="uq_review_notices_kind"),
        CheckConstraint(
            "kind IN ('invite','reminder_1','reminder_2','staff_nudge','by_hand')", name="kind_known"
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    sent_on: Mapped[date] = mapped_column(Date)
    messages: Mapped[int] = mapped_column(Integer, default=0)  # outbox rows written for it
    created_at: Mapped[datetime] = created_at_column()


class ReviewDateChange(Model):
    """An IRO (or an import) moved a review. The reason is staff text, kept encrypted."""

    __tablename__ = "review_date_changes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id"), index=True)
    from_date: Mapped[date] = mapped_column(Date)
    to_date: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(EncryptedText)
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_members.id"))
    changed_at: Mapped[datetime] = created_at_column()

    changed_by: Mapped[StaffMember | None] = relationship()
