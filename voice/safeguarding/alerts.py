"""Raising safeguarding alerts. Written in the caller's transaction, with their notifications.

An alert goes to the allocated worker, the team manager and the team duty inbox at once.
Out of working hours it also goes straight to the emergency duty team. It stays open until a
person presses "I have seen this" in Voice: a delivered email does not count.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from flask import current_app
from sqlalchemy import select

from voice import clock
from voice.extensions import db
from voice.insight import counts
from voice.models import Alert, AlertEvent, Child, StaffMember, Submission
from voice.references import new_reference
from voice.routing import events
from voice.routing.working_time import is_working_hours


def in_working_hours() -> bool:
    cfg = current_app.config
    return is_working_hours(
        clock.now(), start_hour=cfg["VOICE_WORKDAY_START"], end_hour=cfg["VOICE_WORKDAY_END"]
    )


def edt_addresses() -> list[str]:
    """The emergency duty team: its shared inbox and every active EDT account."""
    people = db.session.scalars(
        select(StaffMember.email)
        .where(StaffMember.role == "emergency_duty", StaffMember.active.is_(True))
        .order_by(StaffMember.email)
    ).all()
    return [current_app.config["VOICE_EDT_EMAIL"], *people]


def tell(alert: Alert, addresses: list[str]) -> None:
    """Queue one urgent message per address (each once), noting when the EDT was first told."""
    unique = list(dict.fromkeys(addresses))
    if alert.edt_notified_at is None and current_app.config["VOICE_EDT_EMAIL"] in unique:
        alert.edt_notified_at = clock.now()
    events.alert_raised(alert, unique)


def first_recipients(child: Child, *, out_of_hours: bool) -> list[str]:
    team = child.team
    people = [child.social_worker, team.manager]
    addresses = [p.email for p in people if p is not None and p.active]
    addresses.append(team.duty_email)
    if out_of_hours:
        addresses += edt_addresses()
    return addresses


def raise_alert(
    child: Child,
    *,
    source: str,
    submission: Submission | None = None,
    categories: Iterable[str] = (),
    words: str | None = None,
) -> Alert:
    """Add an alert, its history and its urgent notifications to the current transaction."""
    out_of_hours = not in_working_hours()
    alert = Alert(
        child_id=child.id,
        submission_id=submission.id if submission is not None else None,
        team_id=child.team_id,
        source=source,
        categories=",".join(sorted(set(categories))),
        words=words or None,
        status="notified",
        escalation_level=0,
        next_escalation_at=clock.now() + timedelta(minutes=current_app.config["VOICE_ALERT_T1_MINUTES"]),
        reference=new_reference("A"),
    )
    db.session.add(alert)
    db.session.flush()
    counts.on_alert_raised(alert)
    alert.events.append(AlertEvent(kind="raised", detail=f"source={source}"))  # shown as words
    if out_of_hours:
        alert.events.append(AlertEvent(kind="out_of_hours", detail="sent to the emergency duty team too"))
    tell(alert, first_recipients(child, out_of_hours=out_of_hours))
    alert.events.append(AlertEvent(kind="notified"))
    return alert
