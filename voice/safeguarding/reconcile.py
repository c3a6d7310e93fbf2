"""Reconciliation: prove nothing a child sent has gone nowhere. Non-empty result = a problem."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import and_, exists, not_, or_, select

from voice import clock
from voice.extensions import db
from voice.models import Alert, OutboxMessage, RoutingRecord, Submission

GRACE = timedelta(minutes=5)
URGENT_SEND_WITHIN = timedelta(minutes=10)


def problems(now: datetime | None = None) -> list[str]:
    now = now or clock.now()
    found: list[str] = []
    unrouted = db.session.scalars(
        select(Submission.reference).where(
            ~exists().where(RoutingRecord.submission_id == Submission.id, RoutingRecord.current.is_(True))
        )
    ).all()
    found += [f"submission {ref} has no recipient" for ref in unrouted]
    no_alert = db.session.scalars(
        select(Submission.reference).where(
            Submission.concern.is_(True), ~exists().where(Alert.submission_id == Submission.id)
        )
    ).all()
    found += [f"submission {ref} is a possible concern but has no alert" for ref in no_alert]
    late = db.session.scalars(
        select(Alert.reference).where(
            Alert.status != "acknowledged",
            Alert.next_escalation_at.is_not(None),
            Alert.next_escalation_at < now - GRACE,
        )
    ).all()
    found += [f"alert {ref} is overdue for escalation (run the delivery worker)" for ref in late]
    stopped = db.session.scalars(
        select(Alert.reference).where(Alert.status != "acknowledged", Alert.next_escalation_at.is_(None))
    ).all()
    found += [f"alert {ref} is open but nothing will escalate it again" for ref in stopped]
    unsent = db.session.scalars(
        select(OutboxMessage).where(
            OutboxMessage.urgent.is_(True),
            or_(
                OutboxMessage.status == "dead",
                and_(
                    not_(OutboxMessage.status.in_(("sent", "dead"))),
                    OutboxMessage.created_at < now - URGENT_SEND_WITHIN,
                ),
            ),
        )
    ).all()
    found += [f"urgent message {m.id} is {m.status} after {m.attempts} attempt(s)" for m in unsent]
    return found
