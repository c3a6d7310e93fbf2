"""Files staff and the council save: exports, case records, Insight tables. Every wing may use it."""

from flask import Response


def attachment(body: str | bytes, mimetype: str, name: str) -> Response:
    """``body`` as a file the browser saves (never shows in the page) as ``voice-<name>``."""
    return Response(
        body, mimetype=mimetype, headers={"Content-Disposition": f"attachment; filename=voice-{name}"}
    )
