"""Delivering the outbox: claim, commit, send, record. Nothing is dropped silently.

Each message goes through ``pending → sending → sent``, or back to ``pending`` with a backoff,
or to ``dead`` with a readable ``last_error``. The claim is committed *before* the provider is
called, so a worker that dies mid-send leaves a row in ``sending`` that ``requeue_stuck``
finds. Every later transition is a conditional UPDATE fenced on ``attempts`` (which the claim
increments), so a worker that was presumed dead cannot overwrite what another worker did.

Duplicates after a crash are bounded: for Notify the outbox id is the provider reference, and
any retry asks Notify first; for SMTP, which cannot be asked, a crash can cost at most one
duplicate per attempt (``MAX_ATTEMPTS``), each with the same Message-ID, and it is logged.
"""

from __future__ import annotations

import logging
import random
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import datetime, timedelta
from functools import partial
from typing import Any, TypeVar, cast

from flask import current_app
from sqlalchemy import CursorResult, Row, func, or_, select, union, update
from sqlalchemy.exc import OperationalError

from voice import clock
from voice.extensions import db
from voice.models import Alert, Child, OutboxMessage, StaffMember, Submission, Team
from voice.routing import channels, notifications

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8  # about two hours of backoff before a message is declared dead
URGENT_FAILOVER_AFTER = 3  # urgent messages try another configured channel after this many
BACKOFF_CAP = timedelta(minutes=60)
STUCK_AFTER = timedelta(minutes=10)
_SQLITE_LOCK_RETRIES = 40

T = TypeVar("T")


@dataclass
class DeliveryReport:
    sent: int = 0
    retried: int = 0
    dead: int = 0
    requeued: int = 0  # found stuck in 'sending' and put back

    @property
    def handled(self) -> int:
        return self.sent + self.retried + self.dead

    def add(self, outcome: str) -> None:
        setattr(self, outcome, getattr(self, outcome) + 1)

    def __iadd__(self, other: DeliveryReport) -> DeliveryReport:
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))
        return self

    def summary(self) -> str:
        return (
            f"outbox: {self.sent} sent, {self.retried} to retry, {self.dead} dead, "
            f"{self.requeued} stuck requeued"
        )


@dataclass(frozen=True)
class _Claim:
    """What a worker took, read from the claim's RETURNING clause (no second query)."""

    id: uuid.UUID
    attempts: int
    channel: str
    to_address: str
    template: str
    personalisation: dict[str, Any]
    urgent: bool


def backoff(attempts: int, *, rng: random.Random | None = None) -> timedelta:
    """1, 2, 4, 8 … minutes after each failure, capped at an hour, plus up to 20% jitter so a
    recovering server is not hit by every queued message in the same second."""
    base = timedelta(minutes=2 ** max(attempts - 1, 0))
    jitter = (rng or random).uniform(0, 0.2)  # spreading load, not a secret
    return min(base * (1 + jitter), BACKOFF_CAP)


# ---------------------------------------------------------------------------------- delivering


def deliver_due(*, now: datetime | None = None, limit: int = 100) -> DeliveryReport:
    """Deliver up to ``limit`` messages that are due, one claim at a time, most urgent first.

    One row per claim keeps every claimed row's time in 'sending' short, so the sweeper never
    mistakes a queued-but-untouched claim for a crashed one.
    """
    report = DeliveryReport()
    config = current_app.config
    for _ in range(limit):
        claim = _claim_next(now or clock.now())
        if claim is None:
            break
        report.add(_attempt(claim, config, now))
    return report


def drain(*, now: datetime | None = None) -> DeliveryReport:
    """One worker round: requeue stuck rows, then deliver until nothing is due."""
    report = DeliveryReport(requeued=requeue_stuck(now=now).requeued)
    while (batch := deliver_due(now=now)).handled:
        report += batch
    return report


def _claim_next(now: datetime) -> _Claim | None:
    """Take one due row. PostgreSQL skips rows another worker has locked; SQLite has one writer
    at a time, and the ``status = 'pending'`` condition makes a lost race claim nothing."""
    due = (
        select(OutboxMessage.id)
        .where(OutboxMessage.status == "pending", OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.urgent.desc(), OutboxMessage.next_attempt_at)
        .limit(1)
        .with_for_update(skip_locked=True)  # rendered on PostgreSQL, ignored by SQLite
        .scalar_subquery()
    )
    claim = (
        update(OutboxMessage)
        .where(OutboxMessage.id == due, OutboxMessage.status == "pending")
        .values(status="sending", claimed_at=now, attempts=OutboxMessage.attempts + 1)
        .returning(
            OutboxMessage.id,
            OutboxMessage.attempts,
            OutboxMessage.channel,
            OutboxMessage.to_address,
            OutboxMessage.template,
            OutboxMessage.personalisation,
            OutboxMessage.urgent,
        )
        .execution_options(synchronize_session=False)
    )

    def take() -> Row[Any] | None:
        return db.session.execute(claim).first()

    row = _in_transaction(take)
    return None if row is None else _Claim(**row._asdict())


def _attempt(claim: _Claim, config: Any, now: datetime | None) -> str:
    """Send one claimed message and record what happened. Returns the report field to count."""
    try:
        channel = channels.get(claim.channel)
        envelope = notifications.envelope_for(
            claim.id, claim.template, claim.to_address, claim.personalisation, claim.channel
        )
        provider_id = channel.find_sent(claim.id, config) if claim.attempts > 1 else None
        if provider_id is None:
            provider_id = channel.send(envelope, config)
        else:
            log.info("outbox %s: %s already had it; not sending again", claim.id, claim.channel)
    except channels.DeliveryError as exc:
        return _failed(claim, exc, now or clock.now())
    except ValueError as exc:  # the stored row fails the content-free checks
        return _failed(claim, channels.PermanentError(f"not sent: {exc}"), now or clock.now())
    except Exception as exc:  # a bug must not stop the other messages
        log.exception("outbox %s: unexpected error while sending", claim.id)
        return _failed(claim, channels.TransientError(f"unexpected {type(exc).__name__}"), now or clock.now())
    return _mark_sent(claim, provider_id, now or clock.now())


def _fenced(claim: _Claim) -> Any:
    return update(OutboxMessage).where(
        OutboxMessage.id == claim.id,
        OutboxMessage.status == "sending",
        OutboxMessage.attempts == claim.attempts,
    )


def _mark_sent(claim: _Claim, provider_id: str | None, now: datetime) -> str:
    stmt = _fenced(claim).values(status="sent", sent_at=now, provider_reference=provider_id)
    if not _in_transaction(lambda: _changed(stmt)):
        log.warning("outbox %s: was requeued while being sent; a duplicate is possible", claim.id)
    return "sent"


def _failed(claim: _Claim, error: channels.DeliveryError, now: datetime) -> str:
    config = current_app.config
    log.warning("outbox %s: attempt %d on %s failed: %s", claim.id, claim.attempts, claim.channel, error)
    fallback = channels.fallback_name(claim.channel, config) if claim.urgent else None
    if error.transient and claim.attempts < MAX_ATTEMPTS:
        if fallback and claim.attempts >= URGENT_FAILOVER_AFTER:
            # The first switch goes at once; after that the channels alternate with backoff.
            wait = timedelta(0) if claim.attempts == URGENT_FAILOVER_AFTER else backoff(claim.attempts)
            log.error("outbox %s: urgent, switching from %s to %s", claim.id, claim.channel, fallback)
            values: dict[str, Any] = {
                "channel": fallback,
                "last_error": channels.scrub(f"{error.summary}; switching to {fallback}"),
            }
        else:
            wait, values = backoff(claim.attempts), {"last_error": error.summary}
        stmt = _fenced(claim).values(status="pending", next_attempt_at=now + wait, **values)
        _in_transaction(lambda: _changed(stmt))
        return "retried"
    why = f"gave up after {claim.attempts} attempts" if error.transient else "refused"
    _mark_dead(claim.id, claim.attempts, claim.template, claim.to_address, f"{why}: {error.summary}")
    return "dead"


def _mark_dead(message_id: uuid.UUID, attempts: int, kind: str, to_address: str, reason: str) -> None:
    """Mark a message dead and, in the same transaction, tell its team's duty inbox."""
    log.error("outbox %s: dead after %d attempts: %s", message_id, attempts, reason)
    stmt = (
        update(OutboxMessage)
        .where(
            OutboxMessage.id == message_id,
            OutboxMessage.status == "sending",
            OutboxMessage.attempts == attempts,
        )
        .values(status="dead", last_error=channels.scrub(reason))
    )

    def write() -> None:
        if _changed(stmt) and kind != "delivery_problem":
            _report_problem(message_id, to_address)

    _in_transaction(write)


def _report_problem(message_id: uuid.UUID, failed_address: str) -> None:
    """Enqueue ``delivery_problem`` for the dead message's team. A problem report that dies is
    not reported again, so this cannot loop."""
    team_id = team_of(message_id)
    team = db.session.get(Team, team_id) if team_id is not None else None
    if team is None:
        return
    candidates = [team.duty_email] + ([team.manager.email] if team.manager and team.manager.active else [])
    to_address = next((a for a in candidates if a.lower() != failed_address.lower()), None)
    message = db.session.get(OutboxMessage, message_id)
    if to_address is None or message is None:
        return
    try:
        notifications.enqueue(
            "delivery_problem",
            to_address=to_address,
            reference=message.personalisation.get("reference", ""),
            link=current_app.config["VOICE_BASE_URL"] + "/staff/",
        )
    except ValueError:  # e.g. a duty address that fails the checks; the dead row still shows
        log.error("outbox %s: could not report the problem to team %s", message_id, team.id)


# ------------------------------------------------------------------------------------ sweeping


@dataclass
class SweepReport:
    requeued: int = 0
    confirmed_sent: int = 0
    dead: int = 0


def requeue_stuck(*, older_than: timedelta = STUCK_AFTER, now: datetime | None = None) -> SweepReport:
    """Return rows left in 'sending' by a worker that died back to 'pending'.

    A channel that can be asked (Notify) is asked first: if it already has the message, the
    row is marked sent. SMTP cannot be asked, so its row is re-sent and the possible duplicate
    is logged. A row that has already used every attempt is marked dead instead.
    """
    now = now or clock.now()
    config = current_app.config
    stuck = db.session.execute(
        select(
            OutboxMessage.id,
            OutboxMessage.attempts,
            OutboxMessage.channel,
            OutboxMessage.template,
            OutboxMessage.to_address,
        ).where(OutboxMessage.status == "sending", OutboxMessage.claimed_at < now - older_than)
    ).all()
    db.session.rollback()  # end the read before talking to a provider
    report = SweepReport()
    for message_id, attempts, channel_name, kind, to_address in stuck:
        claim = _Claim(message_id, attempts, channel_name, to_address, kind, {}, False)
        if attempts >= MAX_ATTEMPTS:
            _mark_dead(message_id, attempts, kind, to_address, f"worker stopped mid-send {attempts} times")
            report.dead += 1
            continue
        channel = channels.get(channel_name)
        try:
            provider_id = channel.find_sent(message_id, config)
        except channels.DeliveryError:
            provider_id = None  # deliver_due asks again before it sends
        if provider_id is not None:
            _mark_sent(claim, provider_id, now)
            report.confirmed_sent += 1
            continue
        if not channel.can_confirm:
            log.warning("outbox %s: requeued after a crash; %s may send it twice", message_id, channel_name)
        stmt = _fenced(claim).values(
            status="pending", next_attempt_at=now, last_error="worker stopped mid-send; requeued"
        )
        report.requeued += _in_transaction(partial(_changed, stmt))
    return report


# ------------------------------------------------------------------------------------- queries


def _team_id_of_cause() -> Any:
    """The team of the submission's child or of the alert a message is about."""
    return func.coalesce(Alert.team_id, Child.team_id)


def _with_cause(stmt: Any) -> Any:
    return (
        stmt.outerjoin(Alert, Alert.id == OutboxMessage.alert_id)
        .outerjoin(Submission, Submission.id == OutboxMessage.submission_id)
        .outerjoin(Child, Child.id == Submission.child_id)
    )


def team_of(message_id: uuid.UUID) -> int | None:
    """The team a message belongs to: its cause's team, else the team of the person it was to."""
    by_cause = db.session.scalar(
        _with_cause(select(_team_id_of_cause()).select_from(OutboxMessage)).where(
            OutboxMessage.id == message_id
        )
    )
    if by_cause is not None:
        return int(by_cause)
    address = db.session.scalar(select(OutboxMessage.to_address).where(OutboxMessage.id == message_id))
    return db.session.scalar(
        union(
            select(StaffMember.team_id).where(func.lower(StaffMember.email) == func.lower(address)),
            select(Team.id).where(func.lower(Team.duty_email) == func.lower(address)),
        ).limit(1)
    )


def dead_messages(team_id: int | None = None) -> list[OutboxMessage]:
    """Messages that could not be delivered, newest first, for "N notifications failed".

    With ``team_id``: those about the team's children or alerts, or addressed to someone in it.
    """
    stmt = select(OutboxMessage).where(OutboxMessage.status == "dead")
    if team_id is not None:
        addresses = union(
            select(func.lower(StaffMember.email)).where(StaffMember.team_id == team_id),
            select(func.lower(Team.duty_email)).where(Team.id == team_id),
        )
        stmt = _with_cause(stmt).where(
            or_(_team_id_of_cause() == team_id, func.lower(OutboxMessage.to_address).in_(addresses))
        )
    return list(db.session.scalars(stmt.order_by(OutboxMessage.created_at.desc())))


# -------------------------------------------------------------------------------- transactions


def _in_transaction(work: Callable[[], T]) -> T:
    """Run ``work`` and commit. SQLite lets one writer in at a time and may answer "database is
    locked" to a second worker at once instead of waiting, so that case is retried; every
    statement passed here is conditional, so running it again is safe."""
    for attempt in range(_SQLITE_LOCK_RETRIES):
        try:
            result = work()
            db.session.commit()
            return result
        except OperationalError as exc:
            db.session.rollback()
            if not _sqlite_busy(exc) or attempt == _SQLITE_LOCK_RETRIES - 1:
                raise
            time.sleep(0.01 * (attempt + 1))
    raise AssertionError("unreachable")  # pragma: no cover


def _changed(stmt: Any) -> int:
    """Run a conditional UPDATE; the row count says whether its condition still held."""
    return cast(CursorResult[Any], db.session.execute(stmt)).rowcount


def _sqlite_busy(exc: OperationalError) -> bool:
    return db.engine.dialect.name == "sqlite" and "locked" in str(exc.orig)
