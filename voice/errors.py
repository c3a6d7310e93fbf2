"""Error pages: plain, kind, and never a traceback or a version banner."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from typing import Any

from flask import Flask, Response, g, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import InterfaceError, OperationalError
from werkzeug.exceptions import HTTPException, SecurityError

from voice.crypto import UnreadableValue
from voice.extensions import db

log = logging.getLogger(__name__)

# One template per status we expect; others fall back to the generic page.
_TEMPLATES = {
    400: "errors/400.html",
    403: "errors/403.html",
    404: "errors/404.html",
    405: "errors/405.html",
    410: "errors/410.html",
    413: "errors/413.html",
    429: "errors/429.html",
    503: "errors/503.html",
}


def _render(status: int, **context):
    template = _TEMPLATES.get(status, "errors/500.html")
    return render_template(template, status=status, **context), status


# Pages that answer a too-large request themselves (an upload form that can say what the
# limit is): endpoint -> handler returning a response.
TOO_LARGE_PAGES: dict[str, Callable[[], Any]] = {}


def handle_http(exc: HTTPException):
    if isinstance(exc, SecurityError):
        # A Host header not in VOICE_TRUSTED_HOSTS (THREATS row 30): no page can be built for a
        # host Voice does not answer to (its links would point there), so a plain 400.
        log.warning("security: request for an untrusted host refused")
        return Response("Bad request\n", status=400, mimetype="text/plain")
    if exc.code == 413 and (page := TOO_LARGE_PAGES.get(request.endpoint or "")) is not None:
        return page()
    return _render(exc.code or 500)


# Endpoints that can give back what was posted when its CSRF token had run out (a page left
# open too long), instead of the plain error page: endpoint -> handler returning a response,
# or None for the plain page. The chat registers one, so a long answer is not lost.
CSRF_RECOVERY: dict[str, Callable[[], Any]] = {}


def csrf_reason(exc: CSRFError) -> str:
    """Which of three things went wrong, so the page says the truth rather than always
    "the page was open for a long time": the token ran out (``expired``), the browser's session
    holding it is gone (``session``), or the form was not one this session was given
    (``foreign``: missing, altered, another session's, or posted from another site)."""
    text = (exc.description or "").lower()
    if "expired" in text:
        return "expired"
    if "session token" in text:
        return "session"
    return "foreign"


def handle_csrf(exc: CSRFError):
    """A refused form token. Children's drafts are saved server-side, so nothing saved before
    is lost; the page explains which thing went wrong and offers the way back."""
    reason = csrf_reason(exc)
    log.warning("csrf: form refused (%s) on %s", reason, request.endpoint)
    recover = CSRF_RECOVERY.get(request.endpoint or "")
    response = recover() if recover is not None else None
    return response if response is not None else _render(400, csrf=reason)


def handle_database_down(exc: Exception):
    try:
        db.session.rollback()
    except Exception:
        log.warning("rollback failed after database error")
    log.error("database unavailable: %s", type(exc).__name__)
    return _render(503)


def handle_unreadable(exc: UnreadableValue):
    """A stored value failed its check and the page needed its contents (a draft, a picture):
    say this item cannot be shown. The value was logged and is audited after the request."""
    try:
        db.session.rollback()
    except Exception:
        log.warning("rollback failed after an unreadable value")
    return render_template("errors/unreadable.html", status=422), 422


def handle_unexpected(exc: Exception):
    correlation = uuid.uuid4().hex[:12]
    log.exception("unhandled error %s", correlation)
    try:
        db.session.rollback()
    except Exception:
        log.warning("rollback failed after unexpected error")
    g.correlation_id = correlation
    return _render(500, correlation=correlation)


def init_app(app: Flask) -> None:
    app.register_error_handler(CSRFError, handle_csrf)
    app.register_error_handler(HTTPException, handle_http)
    app.register_error_handler(UnreadableValue, handle_unreadable)
    app.register_error_handler(OperationalError, handle_database_down)
    app.register_error_handler(InterfaceError, handle_database_down)
    app.register_error_handler(Exception, handle_unexpected)
