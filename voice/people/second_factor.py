"""An admin resets a staff member's second factor when they have lost their phone (issue 25).

The secret and recovery codes are deleted and the person's sessions end (``totp.reset``). They
are told by email, so a reset they never asked for does not go unnoticed: a reset makes the
password alone enough to set up a new app. At their next sign-in the password takes them to the
set-up page. The studio's page and ``flask --app voice reset-second-factor`` both call ``reset``,
which checks the admin's role itself, so neither way in can skip the check.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from voice.auth import totp
from voice.auth.permissions import has_ability
from voice.extensions import db
from voice.models import StaffFactorReset, StaffMember, StaffRecoveryCode, StaffTotp
from voice.routing import events


class NotAnAdmin(PermissionError):
    """The person asking may not reset anyone's second factor."""


@dataclass(frozen=True)
class Outcome:
    """``person`` is None when there is no such staff member; ``done`` is False when they had no
    second factor to reset (then nothing changed and nobody was emailed)."""

    person: StaffMember | None
    done: bool


@dataclass(frozen=True)
class Enrolled:
    """One line of the admin's list: a person with a sign-in code, set up or half set up."""

    person: StaffMember
    confirmed_at: datetime | None
    recovery_codes_left: int


def _check_admin(admin: object) -> StaffMember:
    if not (isinstance(admin, StaffMember) and admin.active and has_ability(admin, "manage_accounts")):
        raise NotAnAdmin("only an active admin resets a second factor")
    return admin


def enrolled_staff(admin: object) -> list[Enrolled]:
    """Everyone who has a sign-in code (or started setting one up), by name."""
    _check_admin(admin)
    unused = (
        select(StaffRecoveryCode.staff_id, func.count().label("left"))
        .where(StaffRecoveryCode.used_at.is_(None))
        .group_by(StaffRecoveryCode.staff_id)
        .subquery()
    )
    rows = db.session.execute(
        select(StaffMember, StaffTotp.confirmed_at, func.coalesce(unused.c.left, 0))
        .join(StaffTotp, StaffTotp.staff_id == StaffMember.id)
        .outerjoin(unused, unused.c.staff_id == StaffMember.id)
        .order_by(StaffMember.name, StaffMember.id)
    )
    return [Enrolled(person, confirmed, int(left)) for person, confirmed, left in rows]


def reset(admin: object, staff_id: int, *, key: uuid.UUID | None = None) -> Outcome:
    """Reset one person's second factor, audited, and email them. Commits.

    The same ``key`` twice (a double post of one form) resets once and sends one email: the
    second post gets the first one's answer. A key on another admin's or another person's reset
    is ignored rather than answered with that row.
    """
    by = _check_admin(admin)
    if key is not None:
        first = _by_key(key)
        if first is not None and first.reset_by_id == by.id and first.staff_id == staff_id:
            return Outcome(db.session.get(StaffMember, staff_id), done=True)
        if first is not None:
            key = None
    person = db.session.get(StaffMember, staff_id)
    if person is None:
        return Outcome(None, done=False)
    db.session.add(StaffFactorReset(staff_id=person.id, reset_by_id=by.id, key=key))
    try:
        db.session.flush()  # a second post of the same form, at the same moment, stops here
    except IntegrityError:
        db.session.rollback()
        return Outcome(db.session.get(StaffMember, staff_id), done=True)
    if not totp.reset(person, by=by):
        db.session.rollback()
        return Outcome(db.session.get(StaffMember, staff_id), done=False)
    events.second_factor_reset(person)
    db.session.commit()
    return Outcome(person, done=True)


def _by_key(key: uuid.UUID) -> StaffFactorReset | None:
    return db.session.scalar(select(StaffFactorReset).where(StaffFactorReset.key == key))
