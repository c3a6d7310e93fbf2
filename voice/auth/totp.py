"""The second factor for staff who sign in with a password: TOTP (RFC 6238) through pyotp.

Staff who come through the council's identity provider are exempt: the provider does MFA.
No ``request`` here; the views in voice/web/staff/second_factor_views.py hold the glue.

- A code is accepted for the current 30-second step or one either side (clock drift), and only
  for a step later than the last one accepted, so a code cannot be used twice.
- Ten recovery codes, shown once, stored as hashes, each used at most once.
- Wrong codes count against the account with the same time-limited back-off as passwords.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from typing import Any, cast

import pyotp
import segno
from markupsafe import Markup
from sqlalchemy import delete, select, update
from sqlalchemy.engine import CursorResult

from voice import audit, clock, crypto
from voice.auth import sessions, throttle
from voice.auth.secrets import token_hash
from voice.extensions import db
from voice.models import StaffMember, StaffRecoveryCode, StaffTotp

STEP_SECONDS = 30
RECOVERY_CODES = 10
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i to misread


@dataclass(frozen=True)
class Check:
    ok: bool = False
    locked: bool = False
    recovery_used: bool = False


def throttle_key(staff_id: int) -> str:
    return f"staff-totp:{staff_id}"


def record_for(staff: StaffMember) -> StaffTotp | None:
    return db.session.scalar(select(StaffTotp).where(StaffTotp.staff_id == staff.id))


def enrolled(staff: StaffMember) -> bool:
    row = record_for(staff)
    return row is not None and row.confirmed_at is not None


def begin_enrolment(staff: StaffMember) -> StaffTotp:
    """The unconfirmed secret for this person, made once and kept until confirmed. Caller commits."""
    row = record_for(staff)
    if row is None:
        row = StaffTotp(staff_id=staff.id, secret=pyotp.random_base32(), last_step=0)
        db.session.add(row)
        db.session.flush()
    return row


def provisioning_uri(row: StaffTotp, staff: StaffMember, issuer: str = "Voice") -> str:
    return pyotp.TOTP(crypto.readable(row.secret)).provisioning_uri(name=staff.email, issuer_name=issuer)


def qr_svg(uri: str, *, label: str) -> Markup:
    """The provisioning URI as a QR code, drawn as inline SVG for the set-up page.

    Dark on a white square with the standard four-module quiet zone, so a phone can read it on
    a dark screen too. ``label`` (from the catalogue) becomes the picture's ``<title>``, which is
    its name for a screen reader; segno escapes it. The key itself is still shown as text.
    """
    code = segno.make(uri, error="m", micro=False)
    svg = code.svg_inline(
        scale=5, border=4, dark="#000", light="#fff", title=label, svgclass="totp-qr", lineclass=None
    )
    svg = svg.replace("<svg ", '<svg role="img" ', 1)
    return Markup(svg)  # noqa: S704 - segno's own SVG: numbers in the path, the title escaped


def _normalise(code: str) -> str:
    return "".join(ch for ch in (code or "").lower() if ch.isalnum())[:32]


def _matching_step(secret: str, code: str) -> int | None:
    if not (len(code) == 6 and code.isdigit()):
        return None
    totp = pyotp.TOTP(secret)
    current = int(clock.now().timestamp()) // STEP_SECONDS
    found = None
    for step in (current - 1, current, current + 1):
        if hmac.compare_digest(totp.at(step * STEP_SECONDS), code):
            found = step
    return found


def _claim_step(row: StaffTotp, step: int) -> bool:
    """Move ``last_step`` forward in one statement, so two posts of one code cannot both win."""
    result = db.session.execute(
        update(StaffTotp).where(StaffTotp.id == row.id, StaffTotp.last_step < step).values(last_step=step)
    )
    return (cast(CursorResult, result).rowcount or 0) == 1


def new_recovery_codes(staff: StaffMember) -> list[str]:
    """Replace this person's recovery codes with ten new ones; returns them for showing once."""
    db.session.execute(delete(StaffRecoveryCode).where(StaffRecoveryCode.staff_id == staff.id))
    codes = ["".join(secrets.choice(_ALPHABET) for _ in range(10)) for _ in range(RECOVERY_CODES)]
    for code in codes:
        db.session.add(StaffRecoveryCode(staff_id=staff.id, code_hash=token_hash(code)))
    db.session.flush()
    return [f"{code[:5]}-{code[5:]}" for code in codes]


def confirm_enrolment(staff: StaffMember, code: str, *, max_failures: int, address: str) -> list[str] | None:
    """A first code from the app confirms the secret; returns the recovery codes. Caller commits."""
    row = record_for(staff)
    if row is None or row.confirmed_at is not None:
        return None
    check = _guarded(staff, code, row, max_failures=max_failures, address=address, allow_recovery=False)
    if not check.ok:
        return None
    row.confirmed_at = clock.now()
    audit.record("auth.totp_enrolled", actor=staff, object_type="staff", object_id=staff.id, address=address)
    return new_recovery_codes(staff)


def verify(staff: StaffMember, code: str, *, max_failures: int, address: str) -> Check:
    """A code from the app, or a recovery code, for an enrolled person. Caller commits."""
    row = record_for(staff)
    if row is None or row.confirmed_at is None:
        return Check()
    return _guarded(staff, code, row, max_failures=max_failures, address=address, allow_recovery=True)


def _guarded(staff, code, row, *, max_failures: int, address: str, allow_recovery: bool) -> Check:
    key = throttle_key(staff.id)
    if throttle.current_lock(key):
        audit.record("auth.totp_locked_attempt", actor=staff, address=address)
        return Check(locked=True)
    code = _normalise(code)
    step = _matching_step(crypto.readable(row.secret), code)
    if step is not None and _claim_step(row, step):
        throttle.clear(key)
        return Check(ok=True)
    if allow_recovery and step is None and _use_recovery_code(staff, code):
        throttle.clear(key)
        audit.record("auth.recovery_code_used", actor=staff, object_type="staff", object_id=staff.id)
        return Check(ok=True, recovery_used=True)
    lock = throttle.record_failure(key, max_failures=max_failures)
    audit.record("auth.totp_failed", actor=staff, address=address)
    if lock is not None:
        audit.record("auth.lockout", actor=staff, address=address)
    return Check(locked=lock is not None)


def _use_recovery_code(staff: StaffMember, code: str) -> bool:
    if len(code) != 10:
        return False
    result = db.session.execute(
        update(StaffRecoveryCode)
        .where(
            StaffRecoveryCode.staff_id == staff.id,
            StaffRecoveryCode.code_hash == token_hash(code),
            StaffRecoveryCode.used_at.is_(None),
        )
        .values(used_at=clock.now())
    )
    return (cast(CursorResult, result).rowcount or 0) == 1


def recovery_codes_left(staff: StaffMember) -> int:
    return len(
        db.session.scalars(
            select(StaffRecoveryCode.id).where(
                StaffRecoveryCode.staff_id == staff.id, StaffRecoveryCode.used_at.is_(None)
            )
        ).all()
    )


def reset(staff: StaffMember, *, by: Any) -> bool:
    """Forget this person's second factor (they lost their phone). Audited. Caller commits.

    The secret and every recovery code are deleted, so none of the old codes works again; a
    lock from wrong codes ends; every session of theirs ends (a lost phone may hold one). Their
    next sign-in with the password leads to setting up an app afresh. False, with nothing
    changed, when there was no second factor to forget.
    """
    removed = 0
    for table in (StaffTotp, StaffRecoveryCode):
        result = db.session.execute(delete(table).where(table.staff_id == staff.id))
        removed += cast(CursorResult, result).rowcount or 0
    if not removed:
        return False
    throttle.clear(throttle_key(staff.id))
    sessions.end_all("staff", str(staff.id), "factor_reset")
    audit.record("auth.totp_reset", actor=by, object_type="staff", object_id=staff.id)
    return True


def start_session(staff: StaffMember, *, address: str) -> str:
    """Both factors passed: the signed-in session begins. Caller commits."""
    token = sessions.start("staff", str(staff.id))
    audit.record("auth.signed_in", actor=staff, address=address)
    return token
