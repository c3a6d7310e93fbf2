"""The long-lived device cookie that, with the PIN, lets a child back in."""

from flask import current_app, request
from werkzeug.wrappers import Response

MAX_AGE = 400 * 24 * 3600  # browsers cap cookie lifetimes at 400 days


def name() -> str:
    return "__Host-voice_device" if current_app.config["SESSION_COOKIE_SECURE"] else "voice_device"


def read() -> str | None:
    return request.cookies.get(name())


def write(response: Response, token: str) -> Response:
    response.set_cookie(
        name(),
        token,
        max_age=MAX_AGE,
        httponly=True,
        secure=current_app.config["SESSION_COOKIE_SECURE"],
        samesite="Lax",
        path="/",
    )
    return response
