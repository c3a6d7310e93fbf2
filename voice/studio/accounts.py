"""Council member accounts, managed by an admin. Council members never see child data."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from voice import audit
from voice.auth import staff as staff_auth
from voice.auth.secrets import hash_password
from voice.extensions import db
from voice.models import CouncilMember, StaffMember
from voice.studio import people

MIN_PASSWORD = 12


class AccountError(ValueError):
    pass


def council_members() -> list[CouncilMember]:
    return list(
        db.session.scalars(select(CouncilMember).order_by(CouncilMember.active.desc(), CouncilMember.name))
    )


def add_council_member(admin: Any, *, name: str, email: str, password: str) -> CouncilMember:
    """Create an account; the admin gives the first password to the member in person. Commits."""
    if not people.can_manage_accounts(admin):
        raise PermissionError("only an admin manages accounts")
    email = email.strip().lower()
    if CouncilMember.by_email(email) is not None or StaffMember.by_email(email) is not None:
        raise AccountError("There is already an account with this email address.")
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"The first password needs at least {MIN_PASSWORD} characters.")
    member = CouncilMember(name=name.strip(), email=email, password_hash=hash_password(password))
    db.session.add(member)
    db.session.flush()
    audit.record("account.created", actor=admin, object_type="council", object_id=member.id)
    db.session.commit()
    return member


def deactivate(admin: Any, member_id: int) -> CouncilMember | None:
    """Turn an account off; its sessions end at once (``voice.auth.staff.disable``). Commits."""
    if not people.can_manage_accounts(admin):
        raise PermissionError("only an admin manages accounts")
    member = db.session.get(CouncilMember, member_id)
    if member is None:
        return None
    staff_auth.disable(member, by=admin)
    db.session.commit()
    return member
