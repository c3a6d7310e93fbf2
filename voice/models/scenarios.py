"""What the scenarios beyond the review keep (issue 27): missing episodes and planned visits."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, DateTime, ForeignKey, Integer, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

from voice.extensions import Model
from voice.models.conversation import Submission
from voice.models.people import Child, StaffMember
from voice.models.types import created_at_column

TALKED_ABOUT = ("yes", "some", "no")
"""The child's answer to "Did you get to talk about what you wanted?" after a visit."""


class MissingEpisode(Model):
    """A time a child was missing, recorded by staff when the child is back. The return home
    interview is due within 72 hours of the return (statutory guidance, 2014)."""

    __tablename__ = "missing_episodes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    child_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("children.id"), index=True)
    returned_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    interview_due_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_members.id"))
    # The child's "back from missing" chat, once sent; until then it is offered on their menu.
    submission_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("submissions.id"))
    created_at: Mapped[datetime] = created_at_column()
    # The key of the form that was posted: a double post of one form stores one episode.
    key: Mapped[uuid.UUID | None] = mapped_column(Uuid, unique=True)

    child: Mapped[Child] = relationship()
    recorded_by: Mapped[StaffMember | None] = relationship()
    submission: Mapped[Submission | None] = relationship()


class Visit(Model):
    """A statutory visit the child got ready for with "my worker is visiting". After the visit
    date the child is asked once whether they talked about what they wanted."""

    __tablename__ = "visits"
    __table_args__ = (CheckConstraint("talked_about IN ('yes','some','no')", name="talked_about_known"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    child_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("children.id"), index=True)
    submission_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("submissions.id"), unique=True)
    visit_on: Mapped[date] = mapped_column(Date, index=True)
    talked_about: Mapped[str | None] = mapped_column(String(8))
    answered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = created_at_column()

    child: Mapped[Child] = relationship()
    submission: Mapped[Submission] = relationship()
