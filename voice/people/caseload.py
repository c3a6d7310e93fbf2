"""A worker's children: finding them (in scope or refused, on the record), their phones,
unlocking, and the worker marking themselves away. Plain functions; each that changes
anything commits, so a staff view is one call."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from voice import audit
from voice.extensions import db
from voice.inbox.scope import child_filter, find_child
from voice.models import Child, Device, StaffMember
from voice.people import enrolment


def children_of(staff: StaffMember) -> list[Child]:
    """The children this person may see, by first name."""
    return list(db.session.scalars(select(Child).where(child_filter(staff)).order_by(Child.first_name)))


def child_in_scope(staff: StaffMember, child_id: uuid.UUID, *, route: str | None) -> Child | None:
    """The child, or None (recorded as a refusal) when they are not this person's to see."""
    child = find_child(staff, child_id)
    if child is None:
        audit.record("authz.denied", actor=staff, object_type="child", object_id=child_id, route=route)
        db.session.commit()
    return child


def open_record(staff: StaffMember, child: Child, *, route: str | None) -> list[Device]:
    """Record that ``staff`` looked at the child; their phones, oldest first."""
    audit.record("child.viewed", actor=staff, child_ref=child.ref, route=route)
    db.session.commit()
    return list(
        db.session.scalars(select(Device).where(Device.child_id == child.id).order_by(Device.created_at))
    )


def team_workers(child: Child) -> list[StaffMember]:
    """The active social workers in the child's team, who the child can be allocated to."""
    return list(
        db.session.scalars(
            select(StaffMember)
            .where(
                StaffMember.team_id == child.team_id,
                StaffMember.role == "social_worker",
                StaffMember.active.is_(True),
            )
            .order_by(StaffMember.name)
        )
    )


def worker(worker_id: int) -> StaffMember | None:
    return db.session.get(StaffMember, worker_id)


def revoke_device(staff: StaffMember, child: Child, device_id: uuid.UUID) -> bool:
    """Stop one of the child's phones opening Voice. False when it is not the child's phone."""
    device = db.session.get(Device, device_id)
    if device is None or device.child_id != child.id:
        return False
    enrolment.revoke_device(device, by=staff)
    db.session.commit()
    return True


def unlock(staff: StaffMember, child: Child) -> None:
    """Let the child try their PIN again."""
    enrolment.unlock(child, by=staff)
    db.session.commit()


def toggle_away(staff: StaffMember) -> bool:
    """Mark the person away (new items go to their manager) or back. True when now away."""
    staff.away = not staff.away
    audit.record("staff.away" if staff.away else "staff.back", actor=staff)
    db.session.commit()
    return staff.away
