"""Who is who in the studio: council members and staff, named by one *person key*.

A key is ``"council:3"`` or ``"staff:5"`` (``"system"`` for the command line). Proposals,
comments, votes and versions store keys, so they can say who did something without two
nullable foreign keys on every row.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from voice.auth.permissions import has_ability
from voice.extensions import db
from voice.models import CouncilMember, StaffMember

SYSTEM = "system"


def key_of(person: Any) -> str:
    if isinstance(person, StaffMember):
        return f"staff:{person.id}"
    if isinstance(person, CouncilMember):
        return f"council:{person.id}"
    if person is None or person == SYSTEM:
        return SYSTEM
    raise TypeError(f"not a studio person: {type(person).__name__}")


def person_for(key: str | None) -> StaffMember | CouncilMember | None:
    kind, _, raw = (key or "").partition(":")
    if not raw.isascii() or not raw.isdigit():
        return None
    if kind == "staff":
        return db.session.get(StaffMember, int(raw))
    if kind == "council":
        return db.session.get(CouncilMember, int(raw))
    return None


def name_of(key: str | None) -> str:
    if key == SYSTEM:
        return "Voice (command line)"
    person = person_for(key)
    return person.name if person is not None else "Someone"


def names(keys: Iterable[str | None]) -> dict[str, str]:
    return {key: name_of(key) for key in set(keys) if key}


def can_publish(person: Any) -> bool:
    """Approve, send back, publish and roll back: the participation officer (or an admin)."""
    return isinstance(person, StaffMember) and has_ability(person, "studio_publish")


def can_manage_accounts(person: Any) -> bool:
    return isinstance(person, StaffMember) and has_ability(person, "manage_accounts")
