"""The picture journey ("All about me"): one big question per page, taps only, plain forms.

It runs on the same conversation, engine and sending as the chat (voice/chat/), with its own
pages. A drawing or a voice note is a file in an ordinary form: the page's script only fills
the file field from the canvas or the microphone, so the same posts work without JavaScript.
"""

from __future__ import annotations

import uuid

from flask import abort, g, redirect, render_template, request, url_for
from flask_babel import get_locale

from voice import errors
from voice.auth import web
from voice.auth.permissions import child_required
from voice.chat import conversations, engine, media, pictures, sending
from voice.chat.answers import AnswerError
from voice.chat.media import MediaProblem
from voice.models import Conversation
from voice.safeguarding import child_alerts
from voice.web.child import bp, safety_views
from voice.web.child.forms import CsrfOnlyForm, posted_version


def _conversation(conversation_id: uuid.UUID, *, posted: bool = False) -> Conversation:
    """The child's own picture conversation, else 404. For a post, what every post of the
    journey checks before it changes anything: a genuine form (else 400), and a conversation
    still open; a sent one (a second tap on Send, a page left open) goes to its "sent" page."""
    conversation = conversations.owned(g.child, conversation_id)
    if conversation is None or not pictures.is_picture_flow(conversations.flow_of(conversation)):
        abort(404)
    if posted and not CsrfOnlyForm().validate_on_submit():
        abort(400)
    if posted and not conversation.is_open:
        abort(redirect(url_for("child.pictures_sent", conversation_id=conversation.id)))
    return conversation


def _page(
    conv: Conversation,
    *,
    error: AnswerError | None = None,
    problem: MediaProblem | None = None,
    status: int = 200,
    intro_seen: bool = True,
):
    flow = conversations.flow_of(conv)
    state = conv.state
    node = engine.current_node(flow, state)
    done, total = engine.progress(flow, state)
    said = [flow.node(turn.node_id) for turn in engine.transcript(flow, state) if turn.kind == "bot"]
    hello = [said_node for said_node in said if said_node.type == "message"]
    return render_template(
        "child/picture.html",
        conversation=conv,
        flow=flow,
        node=node if node is not None and node.is_question else None,
        end=node if node is not None and node.type == "end" else None,
        values=engine.prefill_values(flow, state, node.id) if node is not None else [],
        progress=(done, total),
        hello=hello if done == 0 and not intro_seen and node is not None and node.is_question else [],
        error=error,
        problem=problem,
        kept=media.of_conversation(conv),
        voice_node=media.VOICE_NODE,
    ), status


@bp.get("/pictures/<uuid:conversation_id>")
@child_required
def pictures_page(conversation_id: uuid.UUID):
    conv = _conversation(conversation_id)
    if not conv.is_open:
        return redirect(url_for("child.pictures_sent", conversation_id=conv.id))
    return _page(conv, intro_seen=request.args.get("go") == "1")[0]


@bp.post("/pictures/<uuid:conversation_id>")
@child_required
def pictures_answer(conversation_id: uuid.UUID):
    conv = _conversation(conversation_id, posted=True)
    node_id = request.form.get("node", "")[:64]
    values = request.form.getlist("answer")
    result = conversations.apply(
        conv, based_on=posted_version(request.form.get("version")),
        action=request.form.get("action", "answer"), node_id=node_id, values=values,
    )  # fmt: skip
    if result.error is not None:
        return _page(conv, error=result.error, status=400)
    if not result.conflict and pictures.asks_for_help(conversations.flow_of(conv), node_id, values):
        # "Yes, help me": the same alert and safety page as the "I don't feel safe" button.
        safety_views.remember_alert(child_alerts.child_feels_unsafe(g.child))
        return redirect(url_for("child.safety"))
    return redirect(url_for("child.pictures_page", conversation_id=conv.id, go=1))


def _file(name: str) -> bytes:
    upload = request.files.get(name)
    if upload is None:
        return b""
    try:
        return upload.read()
    finally:
        upload.close()  # a large upload is spooled to a temporary file: let it go now


@bp.post("/pictures/<uuid:conversation_id>/drawing")
@child_required
def pictures_drawing(conversation_id: uuid.UUID):
    conv = _conversation(conversation_id, posted=True)
    node_id = request.form.get("node", "")[:64]
    data = _file("drawing")
    node = conversations.flow_of(conv).get(node_id)
    problem = media.check_drawing(data)
    if node is None or not pictures.offers_drawing(node) or problem is not None:
        return _page(conv, problem=problem or MediaProblem("drawing"), status=400)
    media.keep(conv, kind="drawing", node_id=node_id, mime="image/png", data=data)
    conversations.apply(
        conv, based_on=conv.version, action="answer", node_id=node_id, values=[pictures.DRAWING_OPTION]
    )
    return redirect(url_for("child.pictures_page", conversation_id=conv.id))


@bp.post("/pictures/<uuid:conversation_id>/voice")
@child_required
def pictures_voice(conversation_id: uuid.UUID):
    conv = _conversation(conversation_id, posted=True)
    data = _file("note")
    checked = media.check_voice_note(data, request.form.get("seconds"))
    if isinstance(checked, MediaProblem):
        return _page(conv, problem=checked, status=400)
    mime, seconds = checked
    media.keep(conv, kind="voice", node_id=media.VOICE_NODE, mime=mime, data=data, seconds=seconds)
    return redirect(url_for("child.pictures_page", conversation_id=conv.id))


def _voice_too_large():
    """A note bigger than the whole request may be: the same kind message, answers kept."""
    web.load_signed_in()  # refused before the hook that does this ran
    conversation_id = (request.view_args or {}).get("conversation_id")
    conv = conversations.owned(g.child, conversation_id) if g.get("child") and conversation_id else None
    if conv is None or not conv.is_open:
        return render_template("errors/413.html", status=413), 413
    return _page(conv, problem=MediaProblem("too_big"), status=413)


errors.TOO_LARGE_PAGES["child.pictures_voice"] = _voice_too_large


@bp.post("/pictures/<uuid:conversation_id>/send")
@child_required
def pictures_send(conversation_id: uuid.UUID):
    conv = _conversation(conversation_id, posted=True)
    if not engine.is_finished(conversations.flow_of(conv), conv.state):
        return redirect(url_for("child.pictures_page", conversation_id=conv.id))
    sending.send(conv, language=str(get_locale()))
    return redirect(url_for("child.pictures_sent", conversation_id=conv.id))


@bp.get("/pictures/<uuid:conversation_id>/sent")
@child_required
def pictures_sent(conversation_id: uuid.UUID):
    conv = _conversation(conversation_id)
    if conv.is_open:
        return redirect(url_for("child.pictures_page", conversation_id=conv.id))
    return render_template("child/picture_sent.html", conversation=conv)
