"""Keep escalating an alert until a person presses "I have seen this".

Level 0: raised; the worker, team manager and duty inbox are told (and the emergency duty team
         too when it is out of hours).
Level 1: not acknowledged within T1 minutes: the manager and duty are told again, urgently.
Level 2: not acknowledged within T2 minutes: the emergency duty team is told.
An alert never just stops: it stays open, pinned in inboxes, until acknowledged.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select

from voice import audit, clock
from voice.extensions import db
from voice.models import AccessGrant, Alert, AlertEvent, StaffMember
from voice.routing import events
from voice.safeguarding.alerts import in_working_hours

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


def escalate_due(now: datetime | None = None) -> int:
    """Move every overdue, unacknowledged alert one step up. Commits. Returns how many moved."""
    now = now or clock.now()
    due = db.session.scalars(
        select(Alert).where(
            Alert.status != "acknowledged", Alert.next_escalation_at.is_not(None), Alert.next_escalation_at <= now
        )
    ).all()
    for alert in due:
        step = _STEPS.get(alert.escalation_level)
        if step is None:
            continue
        step(alert)
        alert.status = "escalated"
    db.session.commit()
    return len(due)


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
    audit.record("alert.read", actor=staff, child_ref=alert.child.ref, object_type="alert", object_id=alert.id,
                 route=route, purpose="safeguarding")
    if staff.role == "duty" and alert.child.social_worker_id != staff.id:
        db.session.add(AccessGrant(staff_id=staff.id, child_id=alert.child_id, alert_id=alert.id,
                                   reason="safeguarding-alert", expires_at=clock.now() + DUTY_GRANT))
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
    audit.record("alert.acknowledged", actor=staff, child_ref=alert.child.ref, object_type="alert",
                 object_id=alert.id)
    db.session.commit()
