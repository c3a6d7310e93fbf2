"""The content studio: published content versions, proposals and "you said, we did".

People here are council members or staff. They are named by a *person key*
(``"council:3"``, ``"staff:5"``) rather than two nullable foreign keys on every table, so a
proposal, a comment and a vote all say who in the same way (see ``voice.studio.people``).
None of these rows ever holds child data: only authored content and what the council and
the participation officer wrote about it.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from voice import clock
from voice.extensions import Model, db
from voice.models.types import created_at_column


class ContentVersion(Model):
    """One published state of the studio-edited content, complete, as file texts.

    ``files`` is JSON: ``{"rights/articles.yaml": "<the file's text>", …}``. Version 0 is not a
    row: it is the files in ``content/`` that the app was started with.

    ``based_on`` is the live version this one replaced, and is unique: two people publishing
    from the same live version at the same moment cannot both win, so neither silently
    overwrites the other (the loser is told to try again).
    """

    __tablename__ = "content_versions"
    __table_args__ = (
        UniqueConstraint("based_on", name="uq_content_versions_based_on"),
        CheckConstraint("kind IN ('publish','rollback','import')", name="kind_known"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    based_on: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16), default="publish")
    copied_from: Mapped[int | None] = mapped_column(Integer)  # a rollback's earlier version
    digest: Mapped[str] = mapped_column(String(64))
    files_json: Mapped[str] = mapped_column(Text)
    english_json: Mapped[str] = mapped_column(Text)  # {translation context: hash of its English}
    note: Mapped[str | None] = mapped_column(String(500))
    published_by: Mapped[str] = mapped_column(String(40))  # a person key, or "system"
    published_at: Mapped[datetime] = created_at_column()
    proposal_id: Mapped[int | None] = mapped_column(ForeignKey("studio_proposals.id"))

    @property
    def files(self) -> dict[str, str]:
        return json.loads(self.files_json)

    @property
    def english_hashes(self) -> dict[str, str]:
        return json.loads(self.english_json)


class Proposal(Model):
    """A council member's (or staff member's) proposed change to one content item.

    ``change`` is JSON naming the operation (``set`` a field, ``add-option``, ``add-example``,
    ``move``, ``add-question``, ``add-faq``) and its values. ``before_text`` is the item as
    it was in ``base_version`` when the proposal was written; publishing compares it with
    the live item, so a change made meanwhile by someone else is never silently overwritten.
    """

    __tablename__ = "studio_proposals"
    __table_args__ = (
        CheckConstraint(
            "status IN ('open','approved','published','sent_back','withdrawn')", name="status_known"
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_kind: Mapped[str] = mapped_column(String(32))
    item_id: Mapped[str] = mapped_column(String(160), index=True)
    field: Mapped[str] = mapped_column(String(64))
    change_json: Mapped[str] = mapped_column(Text)
    before_text: Mapped[str] = mapped_column(Text)
    proposed_text: Mapped[str] = mapped_column(Text)
    why: Mapped[str | None] = mapped_column(Text)
    author: Mapped[str] = mapped_column(String(40), index=True)
    status: Mapped[str] = mapped_column(String(16), default="open", index=True)
    base_version: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = created_at_column()
    decided_by: Mapped[str | None] = mapped_column(String(40))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    sent_back_reason: Mapped[str | None] = mapped_column(Text)
    published_version: Mapped[int | None] = mapped_column(Integer)

    comments: Mapped[list[ProposalComment]] = relationship(
        back_populates="proposal", order_by="ProposalComment.id", cascade="all, delete-orphan"
    )
    votes: Mapped[list[ProposalVote]] = relationship(back_populates="proposal", cascade="all, delete-orphan")

    @property
    def change(self) -> dict[str, Any]:
        return json.loads(self.change_json)

    @change.setter
    def change(self, value: dict[str, Any]) -> None:
        self.change_json = json.dumps(value, ensure_ascii=False, sort_keys=True)

    @property
    def op(self) -> str:
        return str(self.change.get("op", "set"))

    @property
    def agree_count(self) -> int:
        return sum(1 for vote in self.votes if vote.agree)

    @property
    def disagree_count(self) -> int:
        return sum(1 for vote in self.votes if not vote.agree)

    def touch_decision(self, by: str, status: str) -> None:
        self.status = status
        self.decided_by = by
        self.decided_at = clock.now()


class ProposalComment(Model):
    __tablename__ = "studio_proposal_comments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("studio_proposals.id"), index=True)
    author: Mapped[str] = mapped_column(String(40))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = created_at_column()

    proposal: Mapped[Proposal] = relationship(back_populates="comments")


class ProposalVote(Model):
    """One vote per person per proposal; voting again changes it."""

    __tablename__ = "studio_proposal_votes"
    __table_args__ = (UniqueConstraint("proposal_id", "voter", name="uq_studio_proposal_votes_voter"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("studio_proposals.id"), index=True)
    voter: Mapped[str] = mapped_column(String(40))
    agree: Mapped[bool] = mapped_column(Boolean)
    created_at: Mapped[datetime] = created_at_column()

    proposal: Mapped[Proposal] = relationship(back_populates="votes")


council_outcome_proposals = Table(
    "council_outcome_proposals",
    db.metadata,
    Column("outcome_id", ForeignKey("council_outcomes.id"), primary_key=True),
    Column("proposal_id", ForeignKey("studio_proposals.id"), primary_key=True),
)


class CouncilOutcome(Model):
    """ "You said, we did": what changed because of the council's proposals."""

    __tablename__ = "council_outcomes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    happened_on: Mapped[date] = mapped_column(Date)
    recorded_by: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = created_at_column()

    proposals: Mapped[list[Proposal]] = relationship(
        secondary=council_outcome_proposals, order_by="Proposal.id"
    )
