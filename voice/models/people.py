"""Teams, staff, children, their reviews, and Children in Care Council members."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Uuid,
    false,
    func,
    select,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from voice.crypto import EncryptedText
from voice.extensions import Model, db
from voice.models.types import created_at_column

# Role ids. Their meaning is in ../shared/DOMAIN.md; permissions are in voice.auth.permissions.
ROLES = (
    "social_worker",
    "team_manager",
    "iro",
    "duty",
    "participation_officer",
    "admin",
    "emergency_duty",
)


class Team(Model):
    __tablename__ = "teams"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    duty_email: Mapped[str] = mapped_column(String(254))
    manager_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_members.id", use_alter=True, name="fk_teams_manager_id_staff_members")
    )
    created_at: Mapped[datetime] = created_at_column()

    manager: Mapped[StaffMember | None] = relationship(foreign_keys=[manager_id], post_update=True)
    members: Mapped[list[StaffMember]] = relationship(
        back_populates="team", foreign_keys="StaffMember.team_id"
    )

    def __repr__(self) -> str:
        return f"<Team {self.name}>"


class StaffMember(Model):
    __tablename__ = "staff_members"
    __table_args__ = (
        CheckConstraint(
            "role IN ('social_worker','team_manager','iro','duty','participation_officer','admin',"
            "'emergency_duty')",
            name="role_known",
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(32))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"), index=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    away: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = created_at_column()

    team: Mapped[Team | None] = relationship(back_populates="members", foreign_keys=[team_id])

    @property
    def first_name(self) -> str:
        return self.name.split()[0] if self.name else ""

    @property
    def available(self) -> bool:
        """Can take new work right now (active and not marked away)."""
        return self.active and not self.away

    @classmethod
    def by_email(cls, email: str) -> StaffMember | None:
        return db.session.scalar(select(cls).where(func.lower(cls.email) == email.strip().lower()))

    def __repr__(self) -> str:
        return f"<StaffMember {self.email} {self.role}>"


class Child(Model):
    __tablename__ = "children"
    # Insight's equality figures group a team's children by these: read from the index alone.
    __table_args__ = (
        Index("ix_children_team_equality", "team_id", "date_of_birth", "ethnicity", "gender", "disability"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    ref: Mapped[str] = mapped_column(String(32), unique=True)
    # The case system's own id (LCS, Mosaic…). ``ref`` stays Voice's pseudonymous id, shown in
    # notifications and logs; ``case_id`` is only for matching imports (docs/adr: reviews).
    case_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    first_name: Mapped[str] = mapped_column(String(80))
    last_name: Mapped[str | None] = mapped_column(String(120))
    date_of_birth: Mapped[date] = mapped_column(Date)
    preferred_language: Mapped[str] = mapped_column(String(16), default="en")
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"), index=True)
    social_worker_id: Mapped[int | None] = mapped_column(ForeignKey("staff_members.id"), index=True)
    iro_id: Mapped[int | None] = mapped_column(ForeignKey("staff_members.id"), index=True)
    # Per-child contacts for the scenarios (content/routing.yaml, issue 27): who does the return
    # home interview after a missing episode, and who hears about education before a PEP.
    return_home_worker_id: Mapped[int | None] = mapped_column(ForeignKey("staff_members.id"))
    designated_teacher_id: Mapped[int | None] = mapped_column(ForeignKey("staff_members.id"))
    virtual_school_id: Mapped[int | None] = mapped_column(ForeignKey("staff_members.id"))
    # The basic record an out-of-hours worker needs to act on an alert, when the council holds it.
    placement_address: Mapped[str | None] = mapped_column(EncryptedText)
    carer_phone: Mapped[str | None] = mapped_column(EncryptedText)
    became_looked_after_on: Mapped[date | None] = mapped_column(Date)
    mobile: Mapped[str | None] = mapped_column(String(32), nullable=True)
    carer_mobile: Mapped[str | None] = mapped_column(String(32))
    carer_email: Mapped[str | None] = mapped_column(String(254))
    # When the last import file named this child; a child missing from a later file is listed
    # for a person to close, never deleted.
    last_imported_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    reply_texts_consent: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # Equality monitoring, as the case system records it (codes, not free text); empty when
    # unknown. Only ever shown as counts of five or more (voice.insight.suppression).
    ethnicity: Mapped[str | None] = mapped_column(String(32))
    gender: Mapped[str | None] = mapped_column(String(32))
    disability: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime] = created_at_column()

    team: Mapped[Team] = relationship()
    social_worker: Mapped[StaffMember | None] = relationship(foreign_keys=[social_worker_id])
    iro: Mapped[StaffMember | None] = relationship(foreign_keys=[iro_id])
    return_home_worker: Mapped[StaffMember | None] = relationship(foreign_keys=[return_home_worker_id])
    designated_teacher: Mapped[StaffMember | None] = relationship(foreign_keys=[designated_teacher_id])
    virtual_school: Mapped[StaffMember | None] = relationship(foreign_keys=[virtual_school_id])
    reviews: Mapped[list[Review]] = relationship(
        back_populates="child", order_by="Review.due_on", cascade="all, delete-orphan"
    )

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}" if self.last_name else self.first_name

    def age_on(self, day: date) -> int:
        born = self.date_of_birth
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))

    def next_review(self, today: date) -> Review | None:
        upcoming = [r for r in self.reviews if r.held_on is None and r.due_on >= today]
        return upcoming[0] if upcoming else None

    @classmethod
    def by_ref(cls, ref: str) -> Child | None:
        return db.session.scalar(select(cls).where(cls.ref == ref))

    def __repr__(self) -> str:
        return f"<Child {self.ref}>"


class Review(Model):
    """A statutory looked-after child review (CPPCR 2010 reg 33)."""

    __tablename__ = "reviews"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    child_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("children.id"), index=True)
    due_on: Mapped[date] = mapped_column(Date)
    held_on: Mapped[date | None] = mapped_column(Date, index=True)
    sequence: Mapped[int] = mapped_column(Integer, default=1)
    # The latest date the law allows (reg 33), worked out from the previous review or the day
    # the child became looked after; None when that is unknown.
    statutory_by: Mapped[date | None] = mapped_column(Date)
    # The date the case-system file last gave, so a later import changes ``due_on`` only when
    # the file itself changed, and never undoes a move an IRO made in Voice.
    imported_due_on: Mapped[date | None] = mapped_column(Date)
    decision: Mapped[str | None] = mapped_column(EncryptedText)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_members.id"))
    recorded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    decision_seen_by_child_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = created_at_column()

    child: Mapped[Child] = relationship(back_populates="reviews")
    recorded_by: Mapped[StaffMember | None] = relationship()

    @property
    def beyond_statutory(self) -> bool:
        return self.statutory_by is not None and self.due_on > self.statutory_by

    def overdue(self, today: date) -> bool:
        return self.held_on is None and self.due_on < today


class CouncilMember(Model):
    """A Children in Care Council member. Sees content, never child data."""

    __tablename__ = "council_members"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = created_at_column()

    @classmethod
    def by_email(cls, email: str) -> CouncilMember | None:
        return db.session.scalar(select(cls).where(func.lower(cls.email) == email.strip().lower()))
