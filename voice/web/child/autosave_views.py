"""Keeping a half-typed answer on the server while the child types (voice/chat/autosave.py).

``POST /chat/<id>/keep`` takes JSON ``{"node": str, "version": int, "text": str}`` with the
page's CSRF token in ``X-CSRFToken`` and, from the page's script, an ``Idempotency-Key``
(voice/web/idempotent.py). Answers are JSON: 200 kept; 409 the chat moved on elsewhere (the
page shows a note and keeps the words in the box); 422 a body it cannot use; 401 signed out.
"""

from __future__ import annotations

import uuid

from flask import Response, abort, g, jsonify, request
from flask_babel import gettext as _

from voice.auth.permissions import SIGNED_OUT_POST_HANDLERS, child_required
from voice.chat import autosave, conversations
from voice.models import Conversation
from voice.web.child import bp
from voice.web.idempotent import answer_once, problem


def _read_body() -> tuple[str, int, str] | None:
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        return None
    node, version, text = data.get("node"), data.get("version"), data.get("text")
    if not isinstance(node, str) or not isinstance(text, str) or type(version) is not int:
        return None
    return node[:64], version, text


def _conversation(conversation_id: uuid.UUID) -> Conversation:
    conversation = conversations.owned(g.child, conversation_id)
    if conversation is None:
        abort(problem(404, "not_found", _("This chat could not be found.")))
    return conversation


def _keep(conversation: Conversation) -> Response:
    body = _read_body()
    if body is None or "\x00" in body[2]:
        return problem(422, "unreadable", _("This could not be saved. Please reload the page and try again."))
    node, version, text = body
    kept = autosave.keep(conversation, node_id=node, text=text, based_on=version)
    if kept.problem == "stale":
        return problem(409, "stale", _(
            "This chat has changed on another phone or tab. Your words are still in the box: "
            "copy them, then reload the page to see the new question."
        ))  # fmt: skip
    if kept.problem == "too_long":
        return problem(422, "too_long", _("That is a lot of words. Please make it a bit shorter."))
    if kept.problem is not None:
        return problem(422, kept.problem, _("This could not be saved. Please reload the page and try again."))
    return jsonify(kept=True)


@bp.post("/chat/<uuid:conversation_id>/keep")
@child_required
def keep_typing(conversation_id: uuid.UUID):
    conversation = _conversation(conversation_id)
    return answer_once(f"child:{g.child.id}", lambda: _keep(conversation))


def _signed_out() -> Response:
    return problem(401, "signed_out", _("Your words are still in the box. Sign in again to keep them."))


SIGNED_OUT_POST_HANDLERS["child.keep_typing"] = _signed_out
