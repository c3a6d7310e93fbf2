"""Who sees which Insight figures. Anything outside a person's scope is "not found".

- a team manager: the manager figures for their own team, and supervision for its workers;
- an IRO: uptake by IRO and reviews without views, across teams;
- the participation officer and admins (and Children in Care Council members, through the
  studio): the aggregate council figures only, never a child's words or identity.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from voice.extensions import db
from voice.models import StaffMember, Team

COUNCIL_ROLES = ("participation_officer", "admin")


class NotInScope(LookupError):
    """Asked for a team or person outside what this person may see: show "not found"."""


@dataclass(frozen=True)
class Access:
    audience: str
    team_ids: tuple[int, ...] | None
    teams: tuple[tuple[int, str], ...]  # what the team filter may offer


def for_staff(staff: StaffMember | None, team: int | None = None) -> Access:
    if staff is None:
        raise NotInScope
    if staff.role == "team_manager" and staff.team_id is not None:
        if team is not None and team != staff.team_id:
            raise NotInScope
        name = db.session.scalar(select(Team.name).where(Team.id == staff.team_id)) or ""
        return Access("manager", (staff.team_id,), ((staff.team_id, name),))
    if staff.role == "iro":
        return _all_teams("iro", team)
    if staff.role in COUNCIL_ROLES:
        return _all_teams("council", team)
    raise NotInScope


def for_council() -> Access:
    """Children in Care Council members: every team together, never one team."""
    return Access("council", None, ())


def _all_teams(audience: str, team: int | None) -> Access:
    teams = tuple((i, n) for i, n in db.session.execute(select(Team.id, Team.name).order_by(Team.name)))
    if team is not None and team not in {i for i, _ in teams}:
        raise NotInScope
    return Access(audience, (team,) if team is not None else None, teams)


def worker_for_supervision(manager: StaffMember, worker_id: int) -> StaffMember:
    """A worker in the manager's own team, or NotInScope."""
    worker = db.session.get(StaffMember, worker_id)
    if manager.role != "team_manager" or worker is None or worker.team_id != manager.team_id:
        raise NotInScope
    return worker
