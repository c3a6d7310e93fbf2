"""Security headers on every response, and host checks."""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from flask import Flask, Response, abort, current_app, g, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import SQLAlchemyError

from voice import audit, crypto
from voice.config import origin_of

log = logging.getLogger("voice.security")

_CSP_PARTS = (
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "media-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
)


def csp(exit_url: str) -> str:
    """The policy. Forms post to Voice only, plus the quick-exit site: without JavaScript, Exit
    is a form whose answer redirects there, and Chromium applies form-action to redirects."""
    return "; ".join([*_CSP_PARTS, f"form-action 'self' {origin_of(exit_url)}"])


def add_security_headers(response: Response) -> Response:
    headers = response.headers
    headers["Content-Security-Policy"] = current_app.config["VOICE_CSP"]
    headers["X-Content-Type-Options"] = "nosniff"
    headers["Referrer-Policy"] = "no-referrer"
    headers["X-Frame-Options"] = "DENY"
    headers["Cross-Origin-Opener-Policy"] = "same-origin"
    headers["Cross-Origin-Resource-Policy"] = "same-origin"
    headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), interest-cohort=()"
    if current_app.config["VOICE_ENV"] == "production":
        headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
    signed_in = any(g.get(n) is not None for n in ("staff", "council_member", "child"))
    private = signed_in or request.endpoint in _ALWAYS_PRIVATE or request.blueprint in _CHILD_BLUEPRINTS
    if private or response.headers.get("Set-Cookie"):
        headers["Cache-Control"] = "no-store"
        headers["Pragma"] = "no-cache"
    headers.pop("Server", None)
    return response


# Pages that must never be cached even for strangers: the child's PIN page (it can carry the
# words a child typed as their session ended), and the answer post that shows it; the staff
# code pages, which come before the session exists (the set-up page shows the TOTP key).
_ALWAYS_PRIVATE = frozenset(
    {"child.sign_in", "child.answer", "staff.sign_in_set_up_code", "staff.sign_in_code"}
)
# Every child page, signed in or not: on a shared phone, Back or the cache must not show
# someone else what a child looked at (their rights, a question, help) after Exit.
_CHILD_BLUEPRINTS = frozenset({"child", "rights"})


def refuse_too_many_fields() -> None:
    """``MAX_FORM_PARTS`` only limits multipart bodies; a urlencoded post with thousands of
    fields is refused the same way (413, nothing stored; THREATS row 24)."""
    if request.method == "POST" and request.mimetype == "application/x-www-form-urlencoded":
        limit = current_app.config.get("MAX_FORM_PARTS") or 1000
        if sum(1 for _ in request.form.items(multi=True)) > limit:
            abort(413)


def refuse_foreign_origin() -> None:
    """A state-changing request that a browser says came from another site is refused as a
    CSRF failure before any token is read (THREATS row 27): an ``Origin`` of another site, or a
    ``Referer`` that is malformed or names another site.

    ``Origin: null`` and a missing ``Referer`` are what Voice's own pages send: every page says
    ``Referrer-Policy: no-referrer`` (so invite links never leak), and with that policy browsers
    send ``Origin: null`` and no Referer on every form post. Those fall back to the token."""
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    ours = {origin_of(current_app.config["VOICE_BASE_URL"]), request.host_url.rstrip("/").lower()}
    origin = request.headers.get("Origin")
    if origin is not None and origin != "null" and origin.lower() not in ours:
        raise CSRFError("The request came from another site (Origin).")
    referrer = request.headers.get("Referer")
    if referrer:
        parts = urlsplit(referrer)
        if not (parts.scheme and parts.netloc) or origin_of(referrer) not in ours:
            raise CSRFError("The request came from another site (Referer).")


def audit_unreadable(_exc: BaseException | None = None) -> None:
    """After each request: an audit event for every encrypted value that failed its check (moved
    to another row or column, tampered, or under a missing key). Crypto logged each already."""
    places = crypto.drain_unreadable()
    if not places:
        return
    actor = next((g.get(n) for n in ("staff", "council_member", "child") if g.get(n) is not None), None)
    try:
        audit.record_unreadable(places, actor=actor, route=request.path)
    except SQLAlchemyError as exc:
        log.error("security: could not audit %d unreadable values: %s", len(places), type(exc).__name__)


def init_app(app: Flask) -> None:
    app.before_request(crypto.collect_unreadable)
    app.teardown_request(audit_unreadable)
    app.config["VOICE_CSP"] = csp(app.config["VOICE_EXIT_URL"])
    app.before_request(refuse_too_many_fields)
    app.before_request(refuse_foreign_origin)
    app.after_request(add_security_headers)
    hosts = app.config.get("VOICE_TRUSTED_HOSTS") or []
    if hosts:
        app.config["TRUSTED_HOSTS"] = hosts
