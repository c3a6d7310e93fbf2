"""The per-child people the routing rules name (``content/routing.yaml``): the return home
interview worker, the designated teacher and the virtual school contact. Set by staff on the
child's page."""

from __future__ import annotations

from sqlalchemy import select

from voice import audit
from voice.extensions import db
from voice.models import Child, StaffMember

CONTACT_FIELDS = ("return_home_worker_id", "designated_teacher_id", "virtual_school_id")
CONTACT_ROLES = ("social_worker", "team_manager", "iro", "duty")
"""Who can be named: staff who can sign in and read what is routed to them."""


def candidates() -> list[StaffMember]:
    return list(
        db.session.scalars(
            select(StaffMember)
            .where(StaffMember.active.is_(True), StaffMember.role.in_(CONTACT_ROLES))
            .order_by(StaffMember.name)
        )
    )


def set_contacts(child: Child, chosen: dict[str, int | None], *, by: StaffMember) -> list[str]:
    """Set the contacts named in ``chosen`` (a field: a staff id or None). Unknown people are
    refused as a whole. Returns the fields that changed. Commits."""
    allowed = {person.id for person in candidates()}
    if any(value is not None and value not in allowed for value in chosen.values()):
        raise ValueError("not someone who can be named as a contact")
    changed = [f for f in CONTACT_FIELDS if f in chosen and getattr(child, f) != chosen[f]]
    for field in changed:
        setattr(child, field, chosen[field])
    if changed:
        audit.record("child.contacts_changed", actor=by, child_ref=child.ref, object_type="child")
    db.session.commit()
    return changed
