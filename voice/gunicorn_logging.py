"""Gunicorn access logs without secrets: invite tokens in paths are redacted."""

from __future__ import annotations

import re

from gunicorn.glogging import Logger

_SECRET_PATHS = re.compile(r"(/start/)[^/?#\s]+")


def redact(text: str) -> str:
    return _SECRET_PATHS.sub(r"\1[redacted]", text)


class RedactingLogger(Logger):
    """Scrubs every access-log atom (path, request line, environ values) and drops query strings."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        atoms["q"] = ""
        return {key: redact(value) if isinstance(value, str) else value for key, value in atoms.items()}
