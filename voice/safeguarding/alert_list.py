"""Who may see which alert, the alert list, a child's alert history, and the basic record.

One rule (``alert_filter``) decides for the alert page, the list, acknowledging and the basic
record, so a page can never show what a list hides or the reverse:

- a social worker: alerts for children allocated to them;
- a team manager or duty worker: alerts for their team's children;
- the emergency duty team: every open alert, across all teams, while it is out of hours; and
  at any hour, every alert the emergency duty team has been told about.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import and_, case, false, or_, select
from sqlalchemy.orm import selectinload

from voice import clock
from voice.extensions import db
from voice.inbox.scope import find_child
from voice.models import AccessGrant, Alert, Child, StaffMember, Team
from voice.safeguarding.alerts import in_working_hours

LIST_LIMIT = 200
NOTICE_DAYS = 14
STATE_FILTERS = ("open", "acknowledged", "all")


def alert_filter(staff: StaffMember):
    if staff.role == "social_worker":
        return Alert.child_id.in_(select(Child.id).where(Child.social_worker_id == staff.id))
    if staff.role in ("team_manager", "duty"):
        return Alert.team_id == staff.team_id
    if staff.role == "emergency_duty":
        told = Alert.edt_notified_at.is_not(None)
        return told if in_working_hours() else or_(told, Alert.status != "acknowledged")
    return false()


@dataclass(frozen=True)
class AlertList:
    alerts: list[Alert]
    teams: list[Team]  # the teams this person's alerts come from, for the filter
    team_id: int | None
    state: str


def alert_list(staff: StaffMember, *, team_id: int | None = None, state: str = "all") -> AlertList:
    """Open alerts first (oldest raised first: longest waiting), then the rest, newest first."""
    scope = alert_filter(staff)
    state = state if state in STATE_FILTERS else "all"
    query = select(Alert).where(scope)
    if team_id is not None:
        query = query.where(Alert.team_id == team_id)
    if state == "open":
        query = query.where(Alert.status != "acknowledged")
    elif state == "acknowledged":
        query = query.where(Alert.status == "acknowledged")
    is_open = case((Alert.status == "acknowledged", 1), else_=0)
    rows = db.session.scalars(
        query.options(selectinload(Alert.child), selectinload(Alert.actions))
        .order_by(is_open, Alert.raised_at.desc(), Alert.id)
        .limit(LIST_LIMIT)
    ).all()
    teams = db.session.scalars(
        select(Team).where(Team.id.in_(select(Alert.team_id).where(scope))).order_by(Team.name)
    ).all()
    return AlertList(list(rows), list(teams), team_id, state)


def history_for(child: Child) -> list[Alert]:
    """Every alert for a child, newest first. The caller has already checked the child is in
    the person's scope (the child page)."""
    return list(
        db.session.scalars(
            select(Alert)
            .where(Alert.child_id == child.id)
            .options(selectinload(Alert.actions))
            .order_by(Alert.raised_at.desc(), Alert.id)
        )
    )


def for_submission(submission_id: uuid.UUID) -> list[Alert]:
    """Alerts raised from one submission (their words show with it)."""
    return list(
        db.session.scalars(
            select(Alert).where(Alert.submission_id == submission_id).order_by(Alert.raised_at, Alert.id)
        )
    )


def seen_by_someone_else(staff: StaffMember) -> list[Alert]:
    """For a worker's inbox: their children's alerts that another person acknowledged lately."""
    if staff.role != "social_worker":
        return []
    since = clock.now() - timedelta(days=NOTICE_DAYS)
    return list(
        db.session.scalars(
            select(Alert)
            .where(
                Alert.child_id.in_(select(Child.id).where(Child.social_worker_id == staff.id)),
                Alert.status == "acknowledged",
                Alert.acknowledged_by_id != staff.id,
                Alert.acknowledged_at >= since,
            )
            .options(selectinload(Alert.actions))
            .order_by(Alert.acknowledged_at.desc())
        )
    )


def find_basic_record(staff: StaffMember, child_id: uuid.UUID) -> Child | None:
    """A child's basic record: for staff who may open the child anyway; for duty and the
    emergency duty team only through an open alert they may see and an unexpired grant."""
    child = find_child(staff, child_id)
    if child is not None or staff.role not in ("duty", "emergency_duty"):
        return child
    open_alert = select(Alert.id).where(
        Alert.child_id == child_id, Alert.status != "acknowledged", alert_filter(staff)
    )
    granted = select(AccessGrant.id).where(
        AccessGrant.staff_id == staff.id,
        AccessGrant.child_id == child_id,
        AccessGrant.expires_at > clock.now(),
    )
    return db.session.scalar(
        select(Child).where(Child.id == child_id, and_(open_alert.exists(), granted.exists()))
    )
