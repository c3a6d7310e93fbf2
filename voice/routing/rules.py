"""Routing rules by role (``content/routing.yaml``, issue 27): which person a flow's answers
go to, with a fallback that never ends with nobody.

A rule names roles, tried in order; the first role with an available person for this child
wins. Roles are fixed here, in code, because each one is a field of the child's record:

    allocated-worker     the child's social worker
    iro                  the child's Independent Reviewing Officer
    team-manager         the manager of the child's team
    return-home-worker   who does the return home interview after a missing episode (per child)
    designated-teacher   the designated teacher at the child's school (per child)
    virtual-school       the virtual school contact (per child)

When no role in the rule has an available person, the answers go to the allocated worker,
then the team manager, then the team's duty inbox (``recipients.recipient_for``), and the
team manager is told as well: the fallback is never silent and never nobody.

The file is read at start-up (a loader), so a rule naming a role Voice does not know stops
the app and fails ``flask --app voice content check``; a per-child role with no person set
for some child is a warning there (``unset_roles``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from voice import strict_yaml
from voice.content.registry import loader
from voice.models import Child, StaffMember

ROUTING_FILE = "routing.yaml"

ROLES: dict[str, Callable[[Child], StaffMember | None]] = {
    "allocated-worker": lambda child: child.social_worker,
    "iro": lambda child: child.iro,
    "team-manager": lambda child: child.team.manager,
    "return-home-worker": lambda child: child.return_home_worker,
    "designated-teacher": lambda child: child.designated_teacher,
    "virtual-school": lambda child: child.virtual_school,
}
PER_CHILD_COLUMNS = {
    "return-home-worker": "return_home_worker_id",
    "designated-teacher": "designated_teacher_id",
    "virtual-school": "virtual_school_id",
}
"""Roles set on each child's page; the content check warns when some child has none."""

RULE_KEYS = frozenset({"flow", "to", "urgent", "respond_within_hours"})


@dataclass(frozen=True)
class Rule:
    flow: str
    to: tuple[str, ...]
    urgent: bool = False
    respond_within_hours: int | None = None


@dataclass(frozen=True)
class Rules:
    default: Rule
    scenarios: tuple[Rule, ...]
    """The "Something else to say" menu, in this order."""

    def for_flow(self, flow_id: str) -> Rule:
        return next((rule for rule in self.scenarios if rule.flow == flow_id), self.default)

    def is_scenario(self, flow_id: str) -> bool:
        return any(rule.flow == flow_id for rule in self.scenarios)

    def roles_used(self) -> set[str]:
        return {role for rule in (self.default, *self.scenarios) for role in rule.to}


def person_for(rule: Rule, child: Child) -> tuple[str, StaffMember] | None:
    """The first role in the rule with an available person for this child, or None."""
    for role in rule.to:
        person = ROLES[role](child)
        if person is not None and person.available:
            return role, person
    return None


def _rule(raw: Any, where: str, errors: list[str], *, needs_flow: bool) -> Rule | None:
    if not isinstance(raw, Mapping):
        errors.append(f"{where}: should be a mapping with 'to'")
        return None
    unknown = set(raw) - RULE_KEYS
    if unknown:
        errors.append(f"{where}: unknown key(s) {', '.join(sorted(map(str, unknown)))}")
    flow = raw.get("flow")
    if needs_flow and (not isinstance(flow, str) or not flow.strip()):
        errors.append(f"{where}: needs 'flow', the id of a file in content/flows/")
    to = raw.get("to")
    roles = [to] if isinstance(to, str) else to
    if not isinstance(roles, list) or not roles or not all(isinstance(r, str) for r in roles):
        errors.append(f"{where}: 'to' should list one or more roles")
        return None
    for role in roles:
        if role not in ROLES:
            errors.append(
                f"{where}: names the role '{role}', which Voice does not know (known: {', '.join(ROLES)})"
            )
    urgent = raw.get("urgent", False)
    if not isinstance(urgent, bool):
        errors.append(f"{where}: 'urgent' should be true or false")
    hours = raw.get("respond_within_hours")
    if hours is not None and (not isinstance(hours, int) or isinstance(hours, bool) or hours <= 0):
        errors.append(f"{where}: 'respond_within_hours' should be a whole number of hours")
    return Rule(str(flow or "*"), tuple(roles), urgent is True, hours if isinstance(hours, int) else None)


def parse_rules(data: Any, source: str = ROUTING_FILE) -> Rules:
    """Check and read the rules. Raises ValueError listing every problem, one per line."""
    errors: list[str] = []
    if not isinstance(data, Mapping) or set(data) - {"default", "scenarios"}:
        raise ValueError(f"{source}: should have only 'default' and 'scenarios'")
    default = _rule(data.get("default"), f"{source}: default", errors, needs_flow=False)
    scenarios: list[Rule] = []
    raw_list = data.get("scenarios") or []
    if not isinstance(raw_list, list):
        errors.append(f"{source}: 'scenarios' should be a list")
        raw_list = []
    for index, raw in enumerate(raw_list):
        rule = _rule(raw, f"{source}: scenario #{index + 1}", errors, needs_flow=True)
        if rule is None:
            continue
        if any(r.flow == rule.flow for r in scenarios):
            errors.append(f"{source}: the flow '{rule.flow}' has two rules")
        scenarios.append(rule)
    if errors or default is None:
        raise ValueError("\n".join(errors or [f"{source}: needs a default rule"]))
    return Rules(default, tuple(scenarios))


@loader("routing")
def load_rules(content_dir: Path) -> Rules:
    path = Path(content_dir) / ROUTING_FILE
    return parse_rules(strict_yaml.read(path), source=str(path))


def unset_roles(rules: Rules) -> list[str]:
    """Warnings: a per-child role a rule relies on that some children have no person for.
    Needs the database (an app context)."""
    from sqlalchemy import func, select

    from voice.extensions import db

    warnings = []
    for rule in rules.scenarios:
        per_child = [PER_CHILD_COLUMNS[r] for r in rule.to if r in PER_CHILD_COLUMNS]
        if not per_child or len(per_child) < len(rule.to):
            continue  # a role every child has (or a fallback in the rule) covers them
        missing = db.session.scalar(
            select(func.count()).select_from(Child).where(*(getattr(Child, c).is_(None) for c in per_child))
        )
        if missing:
            warnings.append(
                f"{ROUTING_FILE}: '{rule.flow}' goes to {' or '.join(rule.to)}, and {missing} "
                f"child(ren) have nobody set; theirs will go to the allocated worker and team manager"
            )
    return warnings
