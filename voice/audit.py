"""The audit API. Every read of a child's data calls :func:`record` in the same transaction.

Audit rows hold identifiers only: no answer text, no names, nothing a child wrote.
"""

from __future__ import annotations

from typing import Any

from voice.extensions import db
from voice.models import AuditEvent, Child, CouncilMember, StaffMember

_ACTOR_KINDS: dict[type, str] = {StaffMember: "staff", CouncilMember: "council", Child: "child"}


def _actor(actor: Any) -> tuple[str, str | None]:
    if actor is None:
        return "anonymous", None
    if isinstance(actor, str):
        return actor, None  # e.g. "system"
    kind = _ACTOR_KINDS.get(type(actor))
    if kind is None:
        raise TypeError(f"cannot audit an actor of type {type(actor).__name__}")
    return kind, str(actor.ref if kind == "child" else actor.id)


def record(
    action: str,
    *,
    actor: Any = None,
    child_ref: str | None = None,
    object_type: str | None = None,
    object_id: Any = None,
    route: str | None = None,
    purpose: str | None = None,
    address: str | None = None,
) -> AuditEvent:
    """Add an audit event to the current transaction (the caller commits with its work)."""
    kind, actor_id = _actor(actor)
    event = AuditEvent(
        actor_kind=kind,
        actor_id=actor_id,
        action=action,
        child_ref=child_ref,
        object_type=object_type,
        object_id=None if object_id is None else str(object_id),
        route=route,
        purpose=purpose,
        address=address,
    )
    db.session.add(event)
    return event


def record_unreadable(places: list, *, actor: Any = None, route: str | None = None) -> None:
    """Audit encrypted values that failed their check (``field.unreadable``: table, row id, column).

    Written in a transaction of its own, because the request's own work may roll back."""
    from sqlalchemy.orm import Session

    kind, actor_id = _actor(actor)
    with Session(db.engine) as session:
        for place in places:
            session.add(
                AuditEvent(
                    actor_kind=kind,
                    actor_id=actor_id,
                    action="field.unreadable",
                    object_type=place.table[:32],
                    object_id=place.row[:64] or None,
                    purpose=place.column[:64],
                    route=route[:128] if route else None,
                )
            )
        session.commit()
