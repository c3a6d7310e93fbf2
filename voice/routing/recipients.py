"""Who receives what a child sends. The answer is never "nobody".

The chain: the allocated social worker if active and not away; else the team manager if
active and not away; else the team's duty inbox, which always exists.

Besides that one recipient, everyone the child chose to share with is told too (issue 19):
an answer shared "with my social worker and my IRO", or to be read out at the review, brings
the child's IRO the same content-free notification.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from voice.models import Child, RoutingRecord, StaffMember, SubmissionAnswer, Team

# Sharing choices that put an answer in front of the IRO (who chairs the review).
SHARES_FOR_IRO = frozenset({"worker_iro", "review"})


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


def chosen_by_child(child: Child, answers: list[SubmissionAnswer], primary: Recipient) -> list[StaffMember]:
    """The other people the child chose to share with, who can open what was sent: today the
    child's IRO, when any answer is shared with them. Never the primary recipient twice."""
    chosen: list[StaffMember] = []
    iro = child.iro
    if iro is not None and iro.active and any(a.share in SHARES_FOR_IRO for a in answers):
        chosen.append(iro)
    return [p for p in chosen if primary.staff is None or p.id != primary.staff.id]


def recipient_for_flow(child: Child, flow_id: str) -> tuple[Recipient, list[StaffMember]]:
    """Who receives a flow's answers by its rule in ``content/routing.yaml``, and who else is
    told. A rule that starts with the allocated worker is the chain above, unchanged. Any other
    rule: its first role with an available person; if none, the chain above (allocated worker,
    team manager, duty inbox) with the team manager told too, so a missing contact is seen."""
    from voice.content import registry
    from voice.routing.rules import person_for

    rule = registry.get("routing").for_flow(flow_id)
    if rule.to[0] == "allocated-worker":
        return recipient_for(child), []
    found = person_for(rule, child)
    if found is not None:
        role, person = found
        return Recipient("staff", child.team, person, role.replace("-", "_")), []
    chain = recipient_for(child)
    reason = {"allocated": "no_contact"}.get(chain.reason, "no_contact_no_worker")
    if chain.kind == "duty":
        reason = "no_contact_duty"
    fallback = Recipient(chain.kind, chain.team, chain.staff, reason)
    manager = child.team.manager
    told = [manager] if manager is not None and manager.active and manager != chain.staff else []
    return fallback, told
