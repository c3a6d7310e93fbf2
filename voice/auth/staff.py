"""Staff and council sign-in: one answer for unknown emails and wrong passwords."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from voice import audit
from voice.auth import sessions, throttle, totp
from voice.auth.secrets import dummy_password_hash, verify_password
from voice.extensions import db
from voice.models import CouncilMember, StaffMember


@dataclass(frozen=True)
class SignInResult:
    person: Any = None
    token: str | None = None
    locked: bool = False
    kind: str = "staff"
    # The password was right, but the person must still give a code (voice/auth/totp.py).
    needs_second_factor: bool = False

    @property
    def ok(self) -> bool:
        return self.token is not None


def _account_key(email: str) -> str:
    return "acct:" + hashlib.sha256(email.strip().lower().encode()).hexdigest()


def sign_in(
    email: str,
    password: str,
    *,
    address: str,
    max_failures: int,
    address_ceiling: int,
    account_ceiling: int = 20,
    second_factor: bool = False,
) -> SignInResult:
    """Check an email and password for a staff member or council member.

    The same work is done whether or not the email exists, and the result never says which
    part was wrong. Failures count per account from this address, per account from
    anywhere (a higher limit) and per address, in the database; every lock is time-limited.
    With ``second_factor``, a staff member's right password starts no session: the caller
    asks for a code first (council members use the studio only and read no child's words).
    """
    pair_key, account_key, address_key = throttle.staff_keys(_account_key(email), address)
    if throttle.current_lock(pair_key) or throttle.current_lock(account_key):
        verify_password(dummy_password_hash(), password)
        audit.record("auth.locked_attempt", address=address)
        db.session.commit()
        return SignInResult(locked=True)

    person: StaffMember | CouncilMember | None = StaffMember.by_email(email)
    kind = "staff"
    if person is None:
        person, kind = CouncilMember.by_email(email), "council"
    stored = person.password_hash if person is not None else dummy_password_hash()
    # The hash is checked whether or not the person exists, so the time taken says nothing.
    password_ok = verify_password(stored, password)

    if person is None or not password_ok or not person.active:
        lock = throttle.record_failure(pair_key, max_failures=max_failures)
        account_lock = throttle.record_failure(
            account_key, max_failures=account_ceiling, schedule=throttle.ACCOUNT_SCHEDULE
        )
        # The address ceiling only makes a busy address's wrong attempts fail fast (below);
        # a correct password from that address still signs in.
        busy = throttle.record_address_failure(address_key, ceiling=address_ceiling)
        audit.record("auth.failed", address=address)
        if lock is not None or account_lock is not None:
            audit.record("auth.lockout", address=address)
        db.session.commit()
        return SignInResult(locked=lock is not None or account_lock is not None or busy)

    throttle.clear(pair_key)
    if second_factor and kind == "staff":
        audit.record("auth.password_ok", actor=person, address=address)
        db.session.commit()
        return SignInResult(person=person, kind=kind, needs_second_factor=True)
    token = sessions.start(kind, str(person.id))
    audit.record("auth.signed_in", actor=person, address=address)
    db.session.commit()
    return SignInResult(person=person, token=token, kind=kind)


def disable(person: StaffMember | CouncilMember, *, by: Any) -> None:
    """Disabling an account ends its sessions at once."""
    person.active = False
    kind = "staff" if isinstance(person, StaffMember) else "council"
    sessions.end_all(kind, str(person.id), "disabled")
    audit.record("account.disabled", actor=by, object_type=kind, object_id=person.id)


def unlock(email: str, *, by: Any) -> bool:
    """An admin clears every lock on an account (all addresses). Audited. Caller commits.

    Returns False when there is no such account, so the CLI can say so.
    """
    person: StaffMember | CouncilMember | None = StaffMember.by_email(email) or CouncilMember.by_email(email)
    if person is None:
        return False
    throttle.clear_account(_account_key(email))
    kind = "staff" if isinstance(person, StaffMember) else "council"
    if kind == "staff":
        throttle.clear(totp.throttle_key(person.id))  # wrong authenticator codes too
    audit.record("auth.unlocked", actor=by, object_type=kind, object_id=person.id)
    return True
