"""The audit trail's hash chain: ``flask --app voice audit seal`` and ``audit verify``.

Every audit event gets one seal: sha256 over the previous seal's hash and the event's fields.
The worker seals events a little after they are written (``SETTLE``), in id order, so audited
reads never wait on one another for the chain; an event whose transaction commits late is
sealed in the next round. ``verify`` walks the seals and reports the first broken link:

- an event changed after sealing (its hash no longer matches);
- an event deleted after sealing (its seal points at nothing);
- a seal removed or rewritten (the next seal's ``prev_hash`` no longer matches);
- an old event with no seal at all (inserted behind the chain's back).

The append-only triggers (migration 0005) already stop the application's role from changing
events; the chain is what catches someone with the owner's rights who drops them.
docs/deployment.md says how to run the app as a role that cannot.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from voice import clock
from voice.extensions import db
from voice.models import AuditEvent, AuditSeal

log = logging.getLogger(__name__)

GENESIS = "0" * 64
SETTLE = timedelta(seconds=30)  # longer than any request's transaction
BATCH = 1000
_FIELDS = ("id", "actor_kind", "actor_id", "action", "child_ref", "object_type", "object_id",
           "route", "purpose", "address")  # fmt: skip


def fingerprint(event: AuditEvent) -> str:
    fields = {name: getattr(event, name) for name in _FIELDS}
    fields["at"] = clock.as_utc(event.at).isoformat()
    return json.dumps(fields, sort_keys=True, separators=(",", ":"))


def link(prev_hash: str, event: AuditEvent) -> str:
    return hashlib.sha256((prev_hash + fingerprint(event)).encode()).hexdigest()


def _head() -> str:
    last = db.session.scalar(select(AuditSeal).order_by(AuditSeal.id.desc()).limit(1))
    return last.hash if last is not None else GENESIS


def seal(*, batch: int = BATCH) -> int:
    """Seal settled events that have no seal yet, oldest first. Returns how many. Commits.

    Two workers sealing at once collide on the unique ``event_id``; the loser rolls back and
    the next round carries on from the new head.
    """
    settled = clock.now() - SETTLE
    sealed_ids = select(AuditSeal.event_id)
    events = db.session.scalars(
        select(AuditEvent)
        .where(AuditEvent.at <= settled, AuditEvent.id.not_in(sealed_ids))
        .order_by(AuditEvent.id)
        .limit(batch)
    ).all()
    if not events:
        db.session.rollback()  # end the read, so no old snapshot is held open
        return 0
    head = _head()
    for event in events:
        previous, head = head, link(head, event)
        db.session.add(AuditSeal(event_id=event.id, prev_hash=previous, hash=head))
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        log.info("audit seal: another worker sealed these first")
        return 0
    log.info("audit seal: %s events sealed; chain head %s", len(events), head)
    return len(events)


@dataclass(frozen=True)
class Verdict:
    ok: bool
    checked: int
    problem: str | None = None
    head: str = GENESIS


def verify() -> Verdict:
    """Walk the chain from the first seal; stop at the first broken link."""
    try:
        return _walk()
    finally:
        db.session.rollback()


def _walk() -> Verdict:
    previous = GENESIS
    checked = 0
    last_id = 0
    while True:
        seals = db.session.scalars(
            select(AuditSeal).where(AuditSeal.id > last_id).order_by(AuditSeal.id).limit(BATCH)
        ).all()
        if not seals:
            break
        events = {
            e.id: e
            for e in db.session.scalars(
                select(AuditEvent).where(AuditEvent.id.in_([s.event_id for s in seals]))
            )
        }
        for row in seals:
            if row.prev_hash != previous:
                return Verdict(
                    False, checked, f"seal {row.id}: the link before it was removed or changed", previous
                )
            event = events.get(row.event_id)
            if event is None:
                return Verdict(
                    False, checked, f"audit event {row.event_id} was deleted after it was sealed", previous
                )
            if link(previous, event) != row.hash:
                return Verdict(
                    False, checked, f"audit event {row.event_id} was changed after it was sealed", previous
                )
            previous = row.hash
            checked += 1
        last_id = seals[-1].id
    unsealed = db.session.scalar(
        select(AuditEvent.id)
        .where(AuditEvent.at <= clock.now() - 10 * SETTLE, AuditEvent.id.not_in(select(AuditSeal.event_id)))
        .order_by(AuditEvent.id)
        .limit(1)
    )
    if unsealed is not None:
        return Verdict(
            False, checked, f"audit event {unsealed} is old but was never sealed (run `audit seal`)", previous
        )
    return Verdict(True, checked, None, previous)
