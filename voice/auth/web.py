"""Glue between HTTP and sessions: reading the cookie, setting it, clearing it."""

from __future__ import annotations

import ipaddress
import uuid
from datetime import timedelta

from flask import Flask, current_app, g, request, session
from werkzeug.wrappers import Response

from voice.auth import oidc, sessions
from voice.extensions import db
from voice.models import Child, CouncilMember, StaffMember

# Set by child.js the moment Exit is pressed, before it tries to reach the server. If the phone
# is offline, that post never arrives; the next request that does (Back, a reload, opening
# Voice again) carries this cookie, and the session it names is ended before anything is
# shown. Not HttpOnly on purpose: the script must be able to write it. It holds no secret.
EXIT_MARKER = "voice_exit"

_SUBJECTS = {"staff": StaffMember, "council": CouncilMember, "child": Child}
_G_NAMES = {"staff": "staff", "council": "council_member", "child": "child"}


def cookie_name() -> str:
    return "__Host-voice_auth" if current_app.config["SESSION_COOKIE_SECURE"] else "voice_auth"


def _timeouts() -> dict[str, sessions.Timeouts]:
    cfg = current_app.config
    staff = sessions.Timeouts(
        idle=timedelta(minutes=cfg["VOICE_STAFF_IDLE_MINUTES"]),
        absolute=timedelta(hours=cfg["VOICE_STAFF_ABSOLUTE_HOURS"]),
    )
    child = sessions.Timeouts(
        idle=timedelta(minutes=cfg["VOICE_CHILD_IDLE_MINUTES"]), absolute=timedelta(hours=12)
    )
    return {"staff": staff, "council": staff, "child": child}


def load_signed_in() -> None:
    """Put the signed-in person, if any, on ``g``. Runs before every request.

    It writes only to end a timed-out session or to refresh ``last_seen_at`` (at most once a
    minute): the idle timeout needs it, and it is the one write we allow in a hook.
    """
    g.auth_session = None
    for name in _G_NAMES.values():
        setattr(g, name, None)
    # "Get help now" must work even when the database is down or the account is locked.
    if request.endpoint in (None, "static", "health.healthz", "child.get_help"):
        return
    row = sessions.lookup(request.cookies.get(cookie_name()), _timeouts())
    if request.cookies.get(EXIT_MARKER):
        g.quick_exit_marker = True
        if row is not None:
            sessions.end(row, "quick_exit")
            db.session.commit()
        return
    if row is None:
        return
    model = _SUBJECTS[row.kind]
    key = row.subject_id if row.kind != "child" else _uuid(row.subject_id)
    person = db.session.get(model, key) if key is not None else None
    if person is None or not getattr(person, "active", True):
        sessions.end(row, "disabled")
        db.session.commit()
        return
    if (
        isinstance(person, StaffMember)
        and row.provider_token
        and not oidc.still_enabled(row, person, current_app.config)
    ):
        return  # disabled (or no longer vouched for) at the council's provider: THREATS row 10
    g.auth_session = row
    setattr(g, _G_NAMES[row.kind], person)


def _uuid(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


def renew_csrf_secret() -> None:
    """At sign-in, forget the CSRF secret the signed-out browser held, so a token seen before
    sign-in (on a shared phone, or planted by someone) is worthless after it. Call it before
    rendering any form for the signed-in person."""
    session.pop("csrf_token", None)
    g.pop("csrf_token", None)


def set_session_cookie(response: Response, token: str) -> Response:
    response.set_cookie(
        cookie_name(),
        token,
        httponly=True,
        secure=current_app.config["SESSION_COOKIE_SECURE"],
        samesite="Lax",
        path="/",
    )
    return response


def clear_session_cookie(response: Response, *, keep_cookies: bool = False) -> Response:
    response.delete_cookie(
        cookie_name(),
        path="/",
        secure=current_app.config["SESSION_COOKIE_SECURE"],
        httponly=True,
        samesite="Lax",
    )
    response.headers["Clear-Site-Data"] = (
        '"cache", "storage"' if keep_cookies else '"cache", "cookies", "storage"'
    )
    return response


def forget_exit_marker(response: Response) -> Response:
    """Once a request has carried the exit marker, its session is over: drop the marker (a
    later sign-in must not be ended by it) and clear what the browser kept."""
    if g.get("quick_exit_marker"):
        response.delete_cookie(EXIT_MARKER, path="/", samesite="Lax")
        response.headers.setdefault("Clear-Site-Data", '"cache", "storage"')
    return response


def sign_out_current(reason: str = "signed_out") -> None:
    row = g.get("auth_session")
    if row is not None:
        sessions.end(row, reason)
        db.session.commit()


def client_address() -> str:
    """The address sign-in limits count: the connecting address, or, only when that is one of
    ``VOICE_TRUSTED_PROXIES``, the nearest untrusted address its X-Forwarded-For names.

    A client can write anything in X-Forwarded-For, so the header is read from the right (the
    entries our own proxies appended) and only through proxies we were told to trust.
    """
    trusted = current_app.config.get("VOICE_TRUSTED_PROXIES") or ()
    return forwarded_client(request.remote_addr, request.headers.getlist("X-Forwarded-For"), trusted)[:64]


def forwarded_client(remote: str | None, forwarded: list[str], trusted) -> str:
    chain = [part.strip() for header in forwarded for part in header.split(",") if part.strip()]
    address = remote or "unknown"
    while _is_trusted(address, trusted) and chain:
        address = chain.pop()
    return address


def _is_trusted(address: str, trusted) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in trusted)


def init_app(app: Flask) -> None:
    app.before_request(load_signed_in)
    app.after_request(forget_exit_marker)
