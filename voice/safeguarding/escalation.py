"""Keep escalating an alert until a person presses "I have seen this".

Level 0: raised; the worker, team manager and duty inbox are told (and the emergency duty team
         too when it is out of hours).
Level 1: not acknowledged within T1 minutes: the manager and duty are told again, urgently
         (and the emergency duty team, out of hours).
Level 2: not acknowledged within T2 minutes: the emergency duty team is told.
Level 3 and up: still not acknowledged: the emergency duty team (the last contacts) is told
         again every ``VOICE_ESCALATION_REPEAT_MINUTES``, at T2 + N, T2 + 2N, ... for as long
         as it takes. Escalation never stops by itself; only an acknowledgement stops it.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import cast

from flask import current_app
from sqlalchemy import ColumnElement, and_, select, update
from sqlalchemy.engine import CursorResult

from voice import audit, clock
from voice.extensions import db
from voice.insight import counts
from voice.models import ALERT_ACTIONS, AccessGrant, Alert, AlertAction, AlertEvent, StaffMember
from voice.once import earlier_post, store_once
from voice.routing import notifications
from voice.safeguarding.alert_list import alert_filter
from voice.safeguarding.alerts import edt_addresses, in_working_hours, tell

log = logging.getLogger(__name__)

DUTY_GRANT = timedelta(hours=72)
EDT_GRANT = timedelta(hours=24)  # one out-of-hours shift and the handover after it
NOTE_MAX = 4000


def _t(minutes_key: str) -> timedelta:
    return timedelta(minutes=current_app.config[minutes_key])


def _manager_and_duty(alert: Alert) -> list[str]:
    team = alert.child.team
    out = [team.manager.email] if team.manager is not None and team.manager.active else []
    return [*out, team.duty_email]


def _level_one(alert: Alert) -> list[str]:
    addresses = _manager_and_duty(alert)
    if not in_working_hours():
        addresses += edt_addresses()
    alert.escalation_level = 1
    alert.next_escalation_at = clock.as_utc(alert.raised_at) + _t("VOICE_ALERT_T2_MINUTES")
    alert.events.append(AlertEvent(kind="escalated_t1", detail="manager and duty told again"))
    return addresses


def _level_two(alert: Alert) -> list[str]:
    alert.escalation_level = 2
    alert.next_escalation_at = next_repeat_after(alert, clock.now())
    alert.events.append(AlertEvent(kind="escalated_t2", detail="emergency duty team told"))
    return edt_addresses()


def _repeat(alert: Alert) -> list[str]:
    alert.escalation_level += 1
    alert.next_escalation_at = next_repeat_after(alert, clock.now())
    alert.events.append(AlertEvent(kind="escalated_repeat", detail="emergency duty team told again"))
    return edt_addresses()


def next_repeat_after(alert: Alert, moment: datetime) -> datetime:
    """The first repeat time (T2 + k x N, k >= 1) strictly after ``moment``."""
    base = clock.as_utc(alert.raised_at) + _t("VOICE_ALERT_T2_MINUTES")
    every = _t("VOICE_ESCALATION_REPEAT_MINUTES")
    k = max(1, (moment - base) // every + 1)
    return base + k * every


Step = Callable[[Alert], list[str]]
_STEPS: dict[int, Step] = {0: _level_one, 1: _level_two}


def _overdue(now: datetime) -> ColumnElement[bool]:
    return and_(
        Alert.status != "acknowledged", Alert.next_escalation_at.is_not(None), Alert.next_escalation_at <= now
    )


def _catch_up(alert: Alert, now: datetime) -> None:
    """Take every step now due, telling each person once.

    An alert past both T1 and T2 (the worker was down, or this runs from cron) takes both steps
    in one go, and the emergency duty team gets one email, not two. A repeat that falls due in
    the same run as another step is not sent on top of it (the people were just told): the
    next repeat is booked instead. Missed repeats are never sent in a burst.
    """
    addresses: list[str] = []
    stepped = False
    while alert.next_escalation_at is not None and clock.as_utc(alert.next_escalation_at) <= now:
        step = _STEPS.get(alert.escalation_level)
        if step is None:
            if stepped:
                alert.next_escalation_at = next_repeat_after(alert, now)
                break
            step = _repeat
        addresses += step(alert) or []
        stepped = True
    tell(alert, addresses)


def escalate_due(now: datetime | None = None) -> int:
    """Bring every overdue, unacknowledged alert up to date. Returns how many moved.

    Each alert is locked, checked again and committed on its own: one acknowledged meanwhile is
    left alone, and one that fails to escalate is logged and tried again next run without
    holding back the others (reconcile reports it as overdue).
    """
    if now is not None:
        with clock.pinned(now):
            return escalate_due()
    now = clock.now()
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
            first_escalation = alert.escalation_level == 0
            _catch_up(alert, now)
            alert.status = "escalated"
            if first_escalation and alert.escalation_level > 0:
                counts.on_alert_escalated(alert)
            db.session.commit()
            moved += 1
        except Exception:  # one broken alert must not stop the others escalating
            db.session.rollback()
            log.exception("alert %s: escalation failed; trying again on the next run", alert_id)
    return moved


def can_handle(staff: StaffMember, alert: Alert) -> bool:
    """The allocated worker, the team's manager and duty workers, and the emergency duty team
    (see ``voice.safeguarding.alert_list.alert_filter``: one rule for pages and lists)."""
    return find_for(staff, alert.id) is not None


def find_for(staff: StaffMember, alert_id: uuid.UUID) -> Alert | None:
    return db.session.scalar(select(Alert).where(Alert.id == alert_id, alert_filter(staff)))


def _grant(staff: StaffMember, alert: Alert, *, lasts: timedelta, event: str) -> None:
    """Time-boxed access to the child's submissions and basic record, once per alert."""
    now = clock.now()
    active = db.session.scalar(
        select(AccessGrant.id).where(
            AccessGrant.staff_id == staff.id, AccessGrant.alert_id == alert.id, AccessGrant.expires_at > now
        )
    )
    if active is not None:
        return
    db.session.add(
        AccessGrant(
            staff_id=staff.id,
            child_id=alert.child_id,
            alert_id=alert.id,
            reason="safeguarding-alert",
            expires_at=now + lasts,
        )
    )
    alert.events.append(AlertEvent(kind=event, staff_id=staff.id))


def open_alert(staff: StaffMember, alert: Alert, *, route: str) -> None:
    """Reading an alert is audited. A duty worker, or the emergency duty team while the alert is
    open, gets time-boxed access to the child through it. Commits."""
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
        _grant(staff, alert, lasts=DUTY_GRANT, event="duty_access_granted")
    elif staff.role == "emergency_duty" and alert.open:
        _grant(staff, alert, lasts=EDT_GRANT, event="edt_access_granted")
    db.session.commit()


@dataclass(frozen=True)
class Acknowledgement:
    """``won`` is False when someone else acknowledged it first; ``alert`` says who, and when."""

    won: bool
    alert: Alert


def clean_note(note: str) -> str:
    return note.replace("\x00", "").replace("\r\n", "\n").strip()[:NOTE_MAX]


def acknowledge(
    staff: StaffMember, alert: Alert, *, action: str, note: str = "", key: uuid.UUID | None = None
) -> Acknowledgement:
    """A person has seen it and says what they did. Only this, never a delivered email, closes
    an alert, and it stops escalation at once. Commits.

    Two people pressing at the same moment: one conditional UPDATE decides, on both databases
    (PostgreSQL makes the second wait on the row, then finds it acknowledged; SQLite takes
    writers one at a time). The other's action and note are kept too, as a later entry, and
    they are told who was first. The read transaction is ended first so that SQLite's write
    starts from the latest snapshot and waits its turn instead of failing.

    The same ``key`` twice (a double post of one form) records one action: the second post
    changes nothing and gets the first one's answer.
    """
    if action not in ALERT_ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    first, key = earlier_post(  # another person's key is never answered with their row
        key, _action_by_key, lambda first: first.alert_id == alert.id and first.staff_id == staff.id
    )
    if first is not None:
        return Acknowledgement(alert.acknowledged_by_id == staff.id, alert)
    alert_id, child_ref, child = alert.id, alert.child.ref, alert.child
    worker = child.social_worker
    worker_to_tell = worker.email if worker is not None and worker.active and worker.id != staff.id else None
    staff_id = staff.id
    db.session.commit()
    at = clock.now()
    won = (
        cast(
            CursorResult,
            db.session.execute(
                update(Alert)
                .where(Alert.id == alert_id, Alert.status != "acknowledged")
                .values(
                    status="acknowledged",
                    acknowledged_at=at,
                    acknowledged_by_id=staff_id,
                    next_escalation_at=None,
                )
                .execution_options(synchronize_session=False)
            ),
        ).rowcount
        == 1
    )
    note = clean_note(note)
    entry = AlertAction(
        alert_id=alert_id, staff_id=staff_id, action=action, note=note or None, at=at, key=key
    )

    def goes_with() -> None:
        if won:
            counts.on_alert_acknowledged(alert, at)
        counts.on_alert_action(alert, action, at)
        kind = "acknowledged" if won else "action_recorded"
        db.session.add(AlertEvent(alert_id=alert_id, kind=kind, staff_id=staff_id))
        audit.record(
            "alert.acknowledged" if won else "alert.action_recorded",
            actor=staff,
            child_ref=child_ref,
            object_type="alert",
            object_id=alert_id,
            purpose="safeguarding",
        )
        if won and worker_to_tell is not None:
            tell_worker_it_was_seen(alert, worker_to_tell)

    stored = store_once(
        entry, find_existing=lambda: _action_by_key(key) if key is not None else None, then=goes_with
    )
    db.session.refresh(alert)
    if stored is not entry:  # the same form, posted a moment before: its answer again
        return Acknowledgement(alert.acknowledged_by_id == staff_id, alert)
    return Acknowledgement(won, alert)


def _action_by_key(key: uuid.UUID) -> AlertAction | None:
    return db.session.scalar(select(AlertAction).where(AlertAction.key == key))


def tell_worker_it_was_seen(alert: Alert, address: str) -> None:
    """The allocated worker hears, content-free, that someone else acted on their child's alert."""
    notifications.enqueue(
        "alert_acknowledged",
        to_address=address,
        reference=alert.reference,
        link=current_app.config["VOICE_BASE_URL"] + f"/staff/alerts/{alert.id}",
        alert_id=alert.id,
    )
