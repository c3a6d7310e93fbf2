"""``Idempotency-Key`` for JSON posts, at the web edge (the rules are in voice/idempotency.py)."""

from __future__ import annotations

from collections.abc import Callable

from flask import Response, jsonify, request
from flask_babel import gettext as _

from voice import idempotency


def problem(status: int, code: str, message: str) -> Response:
    """A JSON refusal: a stable ``problem`` code for the page's script and words for a person."""
    response = jsonify(problem=code, message=message)
    response.status_code = status
    return response


def answer_once(scope: str, run: Callable[[], Response]) -> Response:
    """Run ``run`` for this post once per ``Idempotency-Key`` (when the post carries one)."""
    key = request.headers.get("Idempotency-Key")
    if key is None:
        return run()
    if not idempotency.well_formed(key):
        return problem(400, "bad_key", _("This could not be saved. Please reload the page and try again."))
    body = request.get_data(cache=True)
    claim = idempotency.claim(scope, key, idempotency.fingerprint(request.method, request.path, body))
    if claim.outcome == "mismatch":
        return problem(422, "key_reused", _("This could not be saved. Please reload the page and try again."))
    if claim.outcome == "in_flight":
        refused = problem(409, "in_flight", _("Still saving the last change. Please wait a moment."))
        refused.headers["Retry-After"] = "1"
        return refused
    if claim.outcome == "replay":
        again = Response(claim.body, status=claim.status_code, mimetype="application/json")
        again.headers["Idempotent-Replayed"] = "true"
        return again
    try:
        response = run()
    except Exception:
        idempotency.give_back(scope, key)
        raise
    idempotency.finish(scope, key, response.status_code, response.get_data(as_text=True))
    return response
