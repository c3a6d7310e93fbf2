"""Minting and redeeming invitation links."""

from __future__ import annotations

from datetime import timedelta

from flask import current_app
from sqlalchemy import select

from voice import audit, clock
from voice.auth.secrets import new_token, token_hash
from voice.extensions import db
from voice.models import Child, Invitation, StaffMember


def mint(
    child: Child, *, created_by: StaffMember | None, days: int | None = None, flow_id: str | None = None
) -> str:
    """Create an invitation and return the raw token (shown once, never stored). Commits.
    With ``flow_id`` it is a scenario link: after choosing a PIN the child lands on that chat."""
    token = new_token(32)  # 256 bits
    days = days or current_app.config["VOICE_INVITE_DAYS"]
    db.session.add(
        Invitation(
            child_id=child.id,
            token_hash=token_hash(token),
            expires_at=clock.now() + timedelta(days=days),
            created_by_id=created_by.id if created_by else None,
            flow_id=flow_id,
        )
    )
    audit.record(
        "invite.created", actor=created_by or "system", child_ref=child.ref, object_type="invitation"
    )
    db.session.commit()
    return token


def link_for(token: str) -> str:
    """Invite links always use the configured host, never the request's Host header."""
    return f"{current_app.config['VOICE_BASE_URL']}/start/{token}"


def mint_link(child: Child, *, created_by: StaffMember | None, flow_id: str | None = None) -> str:
    return link_for(mint(child, created_by=created_by, flow_id=flow_id))


def find(token: str) -> Invitation | None:
    if not token or len(token) > 100:
        return None
    return db.session.scalar(select(Invitation).where(Invitation.token_hash == token_hash(token)))
