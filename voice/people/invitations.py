"""Minting and redeeming invitation links."""

from __future__ import annotations

import base64
import hashlib
import hmac
import uuid
from datetime import timedelta

from flask import current_app
from sqlalchemy import select

from voice import audit, clock
from voice.auth.secrets import new_token, token_hash
from voice.extensions import db
from voice.models import Child, Invitation, StaffMember
from voice.once import store_once


def mint(
    child: Child,
    *,
    created_by: StaffMember | None,
    days: int | None = None,
    flow_id: str | None = None,
    key: uuid.UUID | None = None,
) -> str:
    """Create an invitation and return the raw token (shown once, never stored). Commits.
    With ``flow_id`` it is a scenario link: after choosing a PIN the child lands on that chat.

    With ``key`` (the posted form's key) the token is derived from it under the secret key, so
    a double post of one form finds the same invitation and shows the same link: one row, and
    the page the browser keeps (the second) still holds a link that works.
    """
    token = _token_for(key, child, created_by, flow_id) if key is not None else new_token(32)  # 256 bits
    first = find(token) if key is not None else None
    if first is not None:
        if first.usable:
            return token
        token = new_token(32)
    days = days or current_app.config["VOICE_INVITE_DAYS"]
    store_once(  # the same form posted twice at once: the first one's row stands
        Invitation(
            child_id=child.id,
            token_hash=token_hash(token),
            expires_at=clock.now() + timedelta(days=days),
            created_by_id=created_by.id if created_by else None,
            flow_id=flow_id,
        ),
        find_existing=lambda: find(token),
        then=lambda: audit.record(
            "invite.created", actor=created_by or "system", child_ref=child.ref, object_type="invitation"
        ),
    )
    return token


def _token_for(key: uuid.UUID, child: Child, by: StaffMember | None, flow_id: str | None) -> str:
    message = f"invite:{key}:{by.id if by else ''}:{child.id}:{flow_id or ''}".encode()
    digest = hmac.new(current_app.config["SECRET_KEY"].encode(), message, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def link_for(token: str) -> str:
    """Invite links always use the configured host, never the request's Host header."""
    return f"{current_app.config['VOICE_BASE_URL']}/start/{token}"


def mint_link(
    child: Child, *, created_by: StaffMember | None, flow_id: str | None = None, key: uuid.UUID | None = None
) -> str:
    return link_for(mint(child, created_by=created_by, flow_id=flow_id, key=key))


def find(token: str) -> Invitation | None:
    if not token or len(token) > 100:
        return None
    return db.session.scalar(select(Invitation).where(Invitation.token_hash == token_hash(token)))
