"""A child's way in: redeem an invitation, set a PIN, sign in with device + PIN.

No passwords for children. The enrolled device holds a long random token (cookie); the
database keeps only its hash and the device's peppered PIN hash. A PIN typed on a browser
that is not enrolled is refused without being checked.
"""

from __future__ import annotations

import enum
import logging
from dataclasses import dataclass
from typing import cast

from sqlalchemy import select, update
from sqlalchemy.engine import CursorResult

from voice import audit, clock
from voice.auth import sessions, throttle
from voice.auth.secrets import hash_pin, is_common_pin, is_valid_pin, new_token, token_hash, verify_pin
from voice.extensions import db
from voice.models import Child, Device, Invitation, StaffMember

_log = logging.getLogger("voice.security")


class InviteProblem(enum.Enum):
    UNKNOWN = "unknown"
    USED = "used"
    EXPIRED = "expired"


def check_invitation(token: str) -> Invitation | InviteProblem:
    """Look an invitation up without using it (the welcome page is a GET)."""
    if not token or len(token) > 100:
        return InviteProblem.UNKNOWN
    return _still_usable(
        db.session.scalar(select(Invitation).where(Invitation.token_hash == token_hash(token)))
    )


def _still_usable(invitation: Invitation | None) -> Invitation | InviteProblem:
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
    return _still_usable(db.session.get(Invitation, invitation_id))


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
    busy: bool = False  # this address has made too many wrong tries this hour (answered 429)

    @property
    def ok(self) -> bool:
        return self.token is not None


def is_unknown_device(device_token: str | None) -> bool:
    """A device cookie that matches no phone at all (made up or copied wrongly). A revoked
    phone is not unknown: its holder is told to ask for a new link."""
    if not device_token:
        return False
    if len(device_token) > 100:
        return True
    return db.session.scalar(select(Device.id).where(Device.token_hash == token_hash(device_token))) is None


# Checked against when the device is unknown, so that the answer takes as long as a real check.
_DUMMY_HASH: dict[str, str] = {}


def _dummy_hash(pepper: str) -> str:
    if pepper not in _DUMMY_HASH:
        _DUMMY_HASH[pepper] = hash_pin(pepper, "000000")
    return _DUMMY_HASH[pepper]


def sign_in(
    device: Device | None,
    pin: str,
    *,
    pepper: str,
    address: str,
    max_failures: int,
    address_ceiling: int,
    unknown_token: str = "",
) -> ChildSignIn:
    """Check a PIN for an enrolled device. Malformed input is not a failed attempt.

    ``device`` is None for a device cookie that matches no phone (``unknown_token``): it gets
    exactly the answers a real phone with a wrong PIN gets (THREATS rows 2 and 3), its own lock
    included, so a made-up cookie tells nobody which phones exist."""
    key = f"device:{device.id}" if device is not None else f"device-unknown:{token_hash(unknown_token)[:32]}"
    # Only this phone's own lock stops a correct PIN. A busy address (a care home's wifi) is
    # counted and answers wrong PINs with "too many tries", but never locks out another child.
    lock = throttle.current_lock(key)
    if lock is not None:
        return ChildSignIn(locked=True, ask_worker=lock.permanent)
    if not is_valid_pin(pin):
        return ChildSignIn(malformed=True)
    stored = device.pin_hash if device is not None else None
    if verify_pin(pepper, stored or _dummy_hash(pepper), pin) and device is not None and stored:
        throttle.clear(key)
        device.last_used_at = clock.now()
        token = sessions.start("child", str(device.child_id), device_id=str(device.id))
        audit.record("auth.child_signed_in", actor=device.child, child_ref=device.child.ref, address=address)
        db.session.commit()
        return ChildSignIn(token=token)
    new_lock = throttle.record_failure(key, max_failures=max_failures, schedule=throttle.CHILD_SCHEDULE)
    busy = note_address_failure(address, ceiling=address_ceiling)
    child_ref = device.child.ref if device is not None else None
    audit.record(
        "auth.child_failed",
        child_ref=child_ref,
        address=address,
        purpose=None if device is not None else "unknown_device",
    )
    if new_lock is not None:
        audit.record(
            "auth.lockout",
            child_ref=child_ref,
            object_type="device",
            object_id=device.id if device is not None else None,
        )
        if device is not None:
            _tell_worker_about_lockout(device.child)
    db.session.commit()
    return ChildSignIn(
        locked=new_lock is not None, ask_worker=bool(new_lock and new_lock.permanent), busy=busy
    )


def note_address_failure(address: str, *, ceiling: int) -> bool:
    """Count one wrong child sign-in from ``address``. Reaching the ceiling raises the alarm once
    an hour (``auth.spraying`` audit event and a security log line). Returns True from then on."""
    key = throttle.child_address_key(address)
    count = throttle.count_address_failure(key, ceiling=ceiling)
    busy = count >= ceiling
    if count == ceiling:
        audit.record("auth.spraying", address=address, purpose="child")
        _log.warning("security: %d wrong child sign-ins from one address within the hour", ceiling)
    return busy


def no_device_attempt(address: str, *, ceiling: int) -> bool:
    """A PIN posted from a browser with no phone set up: refused unchecked, but counted as a
    suspicious event against the address (THREATS row 6). Commits."""
    audit.record("auth.no_device", address=address)
    busy = note_address_failure(address, ceiling=ceiling)
    db.session.commit()
    return busy


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
