"""A child's way in: redeem an invitation, set a PIN, sign in with device + PIN.

No passwords for children. The enrolled device holds a long random token (cookie); the
database keeps only its hash and the device's peppered PIN hash. A PIN typed on a browser
that is not enrolled is refused without being checked.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import cast

from sqlalchemy import select, update
from sqlalchemy.engine import CursorResult

from voice import audit, clock
from voice.auth import sessions, throttle
from voice.auth.secrets import hash_pin, is_common_pin, is_valid_pin, new_token, token_hash, verify_pin
from voice.extensions import db
from voice.models import Child, Device, Invitation, StaffMember


class InviteProblem(enum.Enum):
    UNKNOWN = "unknown"
    USED = "used"
    EXPIRED = "expired"


def check_invitation(token: str) -> Invitation | InviteProblem:
    """Look an invitation up without using it (the welcome page is a GET)."""
    if not token or len(token) > 100:
        return InviteProblem.UNKNOWN
    invitation = db.session.scalar(select(Invitation).where(Invitation.token_hash == token_hash(token)))
    if invitation is None:
        return InviteProblem.UNKNOWN
    if invitation.used_at is not None:
        return InviteProblem.USED
    if not invitation.usable:
        return InviteProblem.EXPIRED
    return invitation


def open_invitation(token: str, *, address: str) -> Invitation | InviteProblem:
    """ "Let's start" on an invite link. Nothing is used up yet: the link can be opened again
    (another tap, a closed browser, a phone that ran out of battery) until a PIN is chosen
    with it or it expires. Audits a refused link. Commits only then."""
    found = check_invitation(token)
    if isinstance(found, InviteProblem):
        audit.record("invite.rejected", purpose=found.value, address=address)
        db.session.commit()
    return found


def invitation_by_id(invitation_id: object) -> Invitation | InviteProblem:
    """The invitation a browser opened (its id is kept in the signed session), still usable."""
    if not isinstance(invitation_id, int):
        return InviteProblem.UNKNOWN
    invitation = db.session.get(Invitation, invitation_id)
    if invitation is None:
        return InviteProblem.UNKNOWN
    if invitation.used_at is not None:
        return InviteProblem.USED
    if not invitation.usable:
        return InviteProblem.EXPIRED
    return invitation


def enrol_with_pin(
    invitation: Invitation, pin: str, *, pepper: str, address: str
) -> tuple[str, str] | InviteProblem:
    """Use the invitation (once), enrol this device with its PIN and sign the child in.
    Returns the raw device token and session token. Commits.

    The conditional UPDATE makes a double tap, or a second phone that opened the same link,
    use the invitation at most once: the first PIN chosen wins.
    """
    claimed = cast(
        CursorResult,
        db.session.execute(
            update(Invitation)
            .where(Invitation.id == invitation.id, Invitation.used_at.is_(None))
            .values(used_at=clock.now())
        ),
    ).rowcount
    if claimed != 1:
        db.session.rollback()
        return InviteProblem.USED
    device_token = new_token(32)
    device = Device(child_id=invitation.child_id, token_hash=token_hash(device_token))
    db.session.add(device)
    db.session.flush()
    audit.record(
        "invite.redeemed",
        actor="child",
        child_ref=invitation.child.ref,
        object_type="device",
        address=address,
    )
    return device_token, set_pin(device, pin, pepper=pepper)


def device_for(device_token: str | None) -> Device | None:
    if not device_token or len(device_token) > 100:
        return None
    device = db.session.scalar(select(Device).where(Device.token_hash == token_hash(device_token)))
    if device is None or device.revoked_at is not None:
        return None
    return device


class PinProblem(enum.Enum):
    FORMAT = "format"
    MISMATCH = "mismatch"
    COMMON = "common"


def choose_pin(pin: str, again: str) -> PinProblem | None:
    """Check a new PIN. Digits 0-9 only: Arabic-Indic or full-width digits are refused."""
    if not is_valid_pin(pin):
        return PinProblem.FORMAT
    if pin != again:
        return PinProblem.MISMATCH
    if is_common_pin(pin):
        return PinProblem.COMMON
    return None


def set_pin(device: Device, pin: str, *, pepper: str) -> str:
    """Store the device's PIN and sign the child in. Returns the session token. Commits."""
    device.pin_hash = hash_pin(pepper, pin)
    device.last_used_at = clock.now()
    token = sessions.start("child", str(device.child_id), device_id=str(device.id))
    audit.record(
        "device.enrolled",
        actor=device.child,
        child_ref=device.child.ref,
        object_type="device",
        object_id=device.id,
    )
    db.session.commit()
    return token


@dataclass(frozen=True)
class ChildSignIn:
    token: str | None = None
    locked: bool = False
    ask_worker: bool = False  # locked until a worker sends a new link
    malformed: bool = False

    @property
    def ok(self) -> bool:
        return self.token is not None


def sign_in(
    device: Device, pin: str, *, pepper: str, address: str, max_failures: int, address_ceiling: int
) -> ChildSignIn:
    """Check a PIN for an enrolled device. Malformed input is not a failed attempt."""
    key = f"device:{device.id}"
    # Only this phone's own lock stops a correct PIN. A busy address (a care home's wifi) is
    # counted and answers wrong PINs with "locked", but never locks out another child's phone.
    lock = throttle.current_lock(key)
    if lock is not None:
        return ChildSignIn(locked=True, ask_worker=lock.permanent)
    if not is_valid_pin(pin):
        return ChildSignIn(malformed=True)
    if device.pin_hash and verify_pin(pepper, device.pin_hash, pin):
        throttle.clear(key)
        device.last_used_at = clock.now()
        token = sessions.start("child", str(device.child_id), device_id=str(device.id))
        audit.record("auth.child_signed_in", actor=device.child, child_ref=device.child.ref, address=address)
        db.session.commit()
        return ChildSignIn(token=token)
    new_lock = throttle.record_failure(key, max_failures=max_failures, schedule=throttle.CHILD_SCHEDULE)
    busy = throttle.record_address_failure(throttle.child_address_key(address), ceiling=address_ceiling)
    audit.record("auth.child_failed", child_ref=device.child.ref, address=address)
    if new_lock is not None:
        audit.record("auth.lockout", child_ref=device.child.ref, object_type="device", object_id=device.id)
        _tell_worker_about_lockout(device.child)
    db.session.commit()
    return ChildSignIn(locked=new_lock is not None or busy, ask_worker=bool(new_lock and new_lock.permanent))


def _tell_worker_about_lockout(child: Child) -> None:
    """A content-free notice to the worker that a child's sign-in locked."""
    from voice.routing import events

    events.child_locked_out(child)


def revoke_device(device: Device, *, by: StaffMember) -> None:
    """A lost phone: the device and all its sessions stop working at once. Caller commits."""
    device.revoked_at = clock.now()
    sessions.end_all("child", str(device.child_id), "device_revoked", device_id=str(device.id))
    audit.record(
        "device.revoked", actor=by, child_ref=device.child.ref, object_type="device", object_id=device.id
    )


def unlock(child: Child, *, by: StaffMember) -> None:
    """A worker clears a child's locks (the child asked them)."""
    for device in db.session.scalars(select(Device).where(Device.child_id == child.id)):
        throttle.clear(f"device:{device.id}")
    audit.record("auth.unlocked", actor=by, child_ref=child.ref)
