"""Who receives what a child sends. The answer is never "nobody".

The chain: the allocated social worker if active and not away; else the team manager if
active and not away; else the team's duty inbox, which always exists.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from voice.models import Child, RoutingRecord, StaffMember, Team


@dataclass(frozen=True)
class Recipient:
    kind: str  # "staff" or "duty"
    team: Team
    staff: StaffMember | None
    reason: str

    @property
    def routed_to(self) -> str:
        return f"staff:{self.staff.id}" if self.staff is not None else f"duty:{self.team.id}"

    @property
    def email(self) -> str:
        return self.staff.email if self.staff is not None else self.team.duty_email


def recipient_for(child: Child) -> Recipient:
    team = child.team
    worker = child.social_worker
    if worker is not None and worker.available:
        return Recipient("staff", team, worker, "allocated")
    reason = "no_worker" if worker is None else "worker_away"
    manager = team.manager
    if manager is not None and manager.available:
        return Recipient("staff", team, manager, reason)
    return Recipient("duty", team, None, reason + "_no_manager")


def routing_record(submission_id: uuid.UUID, recipient: Recipient) -> RoutingRecord:
    return RoutingRecord(
        submission_id=submission_id,
        routed_to=recipient.routed_to,
        recipient_kind=recipient.kind,
        recipient_staff_id=recipient.staff.id if recipient.staff else None,
        recipient_team_id=recipient.team.id,
        reason=recipient.reason,
        current=True,
    )
