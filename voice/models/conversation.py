"""A child's conversation (the autosaved draft) and the immutable submission it becomes."""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    Uuid,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from voice import clock
from voice.crypto import EncryptedText, readable
from voice.extensions import Model
from voice.models.people import Child, Review, StaffMember
from voice.models.types import created_at_column

SHARE_CHOICES = ("worker", "worker_iro", "review", "private")
SUBMISSION_STATUSES = ("sent", "read", "replied", "closed")


class Conversation(Model):
    """The server-side draft. Its state (which holds free text) is encrypted at rest.

    ``version`` increases on every save; a save that names an older version is a stale write
    from another tab or device and is refused, never applied over newer answers.
    """

    __tablename__ = "conversations"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    child_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("children.id"), index=True)
    review_id: Mapped[int | None] = mapped_column(ForeignKey("reviews.id"))
    flow_id: Mapped[str] = mapped_column(String(64))
    content_version: Mapped[str] = mapped_column(String(64))
    language: Mapped[str] = mapped_column(String(16), default="en")
    state_encrypted: Mapped[str] = mapped_column(EncryptedText)
    sharing_encrypted: Mapped[str | None] = mapped_column(EncryptedText)
    version: Mapped[int] = mapped_column(Integer, default=1)
    status: Mapped[str] = mapped_column(String(16), default="open")  # open, submitted
    submit_key: Mapped[uuid.UUID] = mapped_column(Uuid, default=uuid.uuid4, unique=True)
    started_at: Mapped[datetime] = created_at_column()
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=lambda: clock.now())
    # The half-typed answer the page saves while the child types (voice/chat/autosave.py):
    # JSON {"node", "version", "text"}, only good while ``version`` is still the same.
    autosave_encrypted: Mapped[str | None] = mapped_column(EncryptedText)
    autosaved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    child: Mapped[Child] = relationship()
    review: Mapped[Review | None] = relationship()

    @property
    def state(self) -> dict[str, Any]:
        return json.loads(readable(self.state_encrypted))

    @state.setter
    def state(self, value: dict[str, Any]) -> None:
        self.state_encrypted = json.dumps(value, ensure_ascii=False)

    @property
    def sharing(self) -> dict[str, str]:
        return json.loads(readable(self.sharing_encrypted)) if self.sharing_encrypted else {}

    @sharing.setter
    def sharing(self, value: dict[str, str]) -> None:
        self.sharing_encrypted = json.dumps(value)

    @property
    def is_open(self) -> bool:
        return self.status == "open"


class Submission(Model):
    """What a child sent. Immutable once written, apart from its status timeline."""

    __tablename__ = "submissions"
    __table_args__ = (
        CheckConstraint(
            "status IN ('sent','read','replied','closed')",
            name="status_known",
        ),
        # The inbox's unread stream: concerns first, newest first (voice/inbox/first_page.py).
        Index("ix_submissions_status_concern_sent", "status", "concern", "sent_at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    # One conversation yields at most one submission: the double-tap guard.
    conversation_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("conversations.id"), unique=True)
    child_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("children.id"), index=True)
    review_id: Mapped[int | None] = mapped_column(ForeignKey("reviews.id"), index=True)
    kind: Mapped[str] = mapped_column(String(24), default="pre_review")  # pre_review, question
    flow_id: Mapped[str | None] = mapped_column(String(64))
    content_version: Mapped[str | None] = mapped_column(String(64))
    language: Mapped[str] = mapped_column(String(16), default="en")
    sent_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=lambda: clock.now(), index=True
    )
    status: Mapped[str] = mapped_column(String(16), default="sent", index=True)
    concern: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    # "Please read soon": the detector could not judge the words (another language, emoji
    # only, too long, or its classifier unsure). Not an alarm; never set with `concern`.
    read_soon: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # Marked urgent by its scenario's routing rule ("something's worrying me", routing.yaml).
    urgent: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    review_by: Mapped[datetime] = mapped_column(DateTime(timezone=True))  # human-review deadline
    read_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    read_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_members.id"))
    replied_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    reference: Mapped[str] = mapped_column(String(16), unique=True)  # shown to people, content-free
    # Filed in the council's case record (voice/retention.py counts the retention period from
    # here); and when the "not filed yet" notice went, so it goes once.
    transferred_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    transferred_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_members.id"))
    transfer_overdue_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    child: Mapped[Child] = relationship()
    review: Mapped[Review | None] = relationship()
    read_by: Mapped[StaffMember | None] = relationship(foreign_keys=[read_by_id])
    transferred_by: Mapped[StaffMember | None] = relationship(foreign_keys=[transferred_by_id])
    answers: Mapped[list[SubmissionAnswer]] = relationship(
        back_populates="submission", order_by="SubmissionAnswer.position", cascade="all, delete-orphan"
    )


class SubmissionAnswer(Model):
    """One answer as sent, with the question words as the child saw them and who may see it."""

    __tablename__ = "submission_answers"
    __table_args__ = (
        UniqueConstraint("submission_id", "node_id", name="uq_submission_answers_node"),
        CheckConstraint("share IN ('worker','worker_iro','review')", name="share_known"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    submission_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("submissions.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    node_id: Mapped[str] = mapped_column(String(64))
    topic: Mapped[str] = mapped_column(String(64))
    answer_type: Mapped[str] = mapped_column(String(16))
    question: Mapped[str] = mapped_column(String(1000))  # authored content, not child data
    skipped: Mapped[bool] = mapped_column(Boolean, default=False)
    choices: Mapped[str | None] = mapped_column(String(1000))  # option ids, comma-separated
    answer_text: Mapped[str | None] = mapped_column(EncryptedText)  # display text / free text
    share: Mapped[str] = mapped_column(String(16), default="worker")

    submission: Mapped[Submission] = relationship(back_populates="answers")

    @property
    def shared_with_iro(self) -> bool:
        return self.share in ("worker_iro", "review")


class Reply(Model):
    """A worker's or IRO's words back to the child ("you said, we did")."""

    __tablename__ = "replies"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    submission_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("submissions.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("staff_members.id"))
    kind: Mapped[str] = mapped_column(String(16), default="reply")  # reply, outcome
    topic: Mapped[str | None] = mapped_column(String(64))
    body: Mapped[str] = mapped_column(EncryptedText)
    created_at: Mapped[datetime] = created_at_column()
    seen_by_child_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # from the form that was posted: the same form posted twice finds the first row (none on older rows)
    key: Mapped[uuid.UUID | None] = mapped_column(Uuid, unique=True)

    author: Mapped[StaffMember] = relationship()


class ChildReply(Model):
    """A child's words back to a worker, in the thread of something they sent.

    Free text, so encrypted at rest like every answer. ``key`` comes from the form the child
    pressed: a second press of the same form finds the first row instead of making another.
    ``read_at`` stays empty until the person it went to opens the thread: the inbox shows it
    as new until then.
    """

    __tablename__ = "child_replies"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    submission_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("submissions.id"), index=True)
    child_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("children.id"), index=True)
    key: Mapped[uuid.UUID] = mapped_column(Uuid, unique=True)
    body: Mapped[str] = mapped_column(EncryptedText)
    concern: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = created_at_column()
    read_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    read_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_members.id"))

    submission: Mapped[Submission] = relationship()
    child: Mapped[Child] = relationship()
