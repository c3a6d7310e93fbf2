"""Keep escalating an alert until a person presses "I have seen this".

Level 0: raised; the worker, team manager and duty inbox are told (and the emergency duty team
         too when it is out of hours).
Level 1: not acknowledged within T1 minutes: the manager and duty are told again, urgently.
Level 2: not acknowledged within T2 minutes: the emergency duty team is told.
An alert never just stops: it stays open, pinned in inboxes, until acknowledged.
"""

from __future__ import annotations

import logging
import uuid
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import ColumnElement, and_, select

from voice import audit, clock
from voice.extensions import db
from voice.models import AccessGrant, Alert, AlertEvent, StaffMember
from voice.routing import events
from voice.safeguarding.alerts import in_working_hours

log = logging.getLogger(__name__)

DUTY_GRANT = timedelta(hours=72)


def _t(minutes_key: str) -> timedelta:
    return timedelta(minutes=current_app.config[minutes_key])


def _manager_and_duty(alert: Alert) -> list[str]:
    team = alert.child.team
    out = [team.manager.email] if team.manager is not None and team.manager.active else []
    return [*out, team.duty_email]


def _level_one(alert: Alert) -> None:
    addresses = _manager_and_duty(alert)
    if not in_working_hours():
        addresses.append(current_app.config["VOICE_EDT_EMAIL"])
    events.alert_raised(alert, addresses)
    alert.escalation_level = 1
    alert.next_escalation_at = clock.as_utc(alert.raised_at) + _t("VOICE_ALERT_T2_MINUTES")
    alert.events.append(AlertEvent(kind="escalated_t1", detail="manager and duty told again"))


def _level_two(alert: Alert) -> None:
    events.alert_raised(alert, [current_app.config["VOICE_EDT_EMAIL"]])
    alert.escalation_level = 2
    alert.next_escalation_at = None
    alert.events.append(AlertEvent(kind="escalated_t2", detail="emergency duty team told"))


_STEPS = {0: _level_one, 1: _level_two}


def _overdue(now: datetime) -> ColumnElement[bool]:
    return and_(
        Alert.status != "acknowledged", Alert.next_escalation_at.is_not(None), Alert.next_escalation_at <= now
    )


def escalate_due(now: datetime | None = None) -> int:
    """Bring every overdue, unacknowledged alert up to date. Returns how many moved.

    An alert past both T1 and T2 (the worker was down, or this runs from cron) takes both steps
    now, not one step a run. Each alert is locked, checked again and committed on its own: one
    acknowledged meanwhile is left alone, and one that fails to escalate is logged and tried
    again next run without holding back the others (reconcile reports it as overdue).
    """
    now = now or clock.now()
    due_ids = db.session.scalars(select(Alert.id).where(_overdue(now))).all()
    moved = 0
    for alert_id in due_ids:
        try:
            alert = db.session.scalar(
                select(Alert)
                .where(Alert.id == alert_id, _overdue(now))
                .with_for_update()  # PostgreSQL: an acknowledgement waits, and is not overwritten
                .execution_options(populate_existing=True)
            )
            if alert is None:
                continue  # acknowledged, or escalated by another worker, since the first query
            while (
                alert.next_escalation_at is not None
                and clock.as_utc(alert.next_escalation_at) <= now
                and (step := _STEPS.get(alert.escalation_level)) is not None
            ):
                step(alert)
            alert.status = "escalated"
            db.session.commit()
            moved += 1
        except Exception:  # one broken alert must not stop the others escalating
            db.session.rollback()
            log.exception("alert %s: escalation failed; trying again on the next run", alert_id)
    return moved


def can_handle(staff: StaffMember, alert: Alert) -> bool:
    """The allocated worker, the team's manager and the team's duty workers."""
    child = alert.child
    if staff.role == "social_worker":
        return child.social_worker_id == staff.id
    if staff.role in ("team_manager", "duty"):
        return staff.team_id == alert.team_id
    return False


def find_for(staff: StaffMember, alert_id: uuid.UUID) -> Alert | None:
    alert = db.session.get(Alert, alert_id)
    return alert if alert is not None and can_handle(staff, alert) else None


def open_alert(staff: StaffMember, alert: Alert, *, route: str) -> None:
    """Reading an alert is audited; a duty worker gets time-boxed access to the child. Commits."""
    audit.record(
        "alert.read",
        actor=staff,
        child_ref=alert.child.ref,
        object_type="alert",
        object_id=alert.id,
        route=route,
        purpose="safeguarding",
    )
    if staff.role == "duty" and alert.child.social_worker_id != staff.id:
        db.session.add(
            AccessGrant(
                staff_id=staff.id,
                child_id=alert.child_id,
                alert_id=alert.id,
                reason="safeguarding-alert",
                expires_at=clock.now() + DUTY_GRANT,
            )
        )
        alert.events.append(AlertEvent(kind="duty_access_granted", staff_id=staff.id))
    db.session.commit()


def acknowledge(staff: StaffMember, alert: Alert) -> None:
    """A person has seen it. Only this, never a delivered email, closes an alert. Commits."""
    if alert.status == "acknowledged":
        return
    alert.status = "acknowledged"
    alert.acknowledged_at = clock.now()
    alert.acknowledged_by_id = staff.id
    alert.next_escalation_at = None
    alert.events.append(AlertEvent(kind="acknowledged", staff_id=staff.id))
    audit.record(
        "alert.acknowledged", actor=staff, child_ref=alert.child.ref, object_type="alert", object_id=alert.id
    )
    db.session.commit()
