"""The chat: start, answer, change, review-before-send, send. Plain forms, post/redirect/get."""

from __future__ import annotations

import uuid

from flask import abort, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from voice.auth.permissions import child_required
from voice.chat import autosave, conversations, engine, pictures, sending
from voice.chat.answers import AnswerError
from voice.models import Conversation
from voice.models.conversation import SHARE_CHOICES
from voice.scenarios import menu
from voice.web.child import bp, carry
from voice.web.child.forms import CsrfOnlyForm, posted_version
from voice.web.child.keeping import keep_words


def _conversation(conversation_id: uuid.UUID) -> Conversation:
    conversation = conversations.owned(g.child, conversation_id)
    if conversation is None:
        abort(404)
    return conversation


@bp.get("/chat")
@child_required
def chat():
    review_flows = menu.review_flows()
    conversation = conversations.open_for(g.child, review_flows)
    if conversation is not None:
        return redirect(url_for("child.conversation", conversation_id=conversation.id))
    return render_template(
        "child/chat_start.html",
        flows=review_flows,
        form=CsrfOnlyForm(),
        draft_days=current_app.config["VOICE_DRAFT_RETENTION_DAYS"],
    )


@bp.post("/chat")
@child_required
def begin():
    form = CsrfOnlyForm()
    flow_id = request.form.get("flow", "")
    if not form.validate_on_submit() or flow_id not in conversations.flows():
        abort(400)
    conversation = conversations.start(g.child, flow_id, language=str(get_locale()))
    if pictures.is_picture_flow(conversations.flow_of(conversation)):
        return redirect(url_for("child.pictures_page", conversation_id=conversation.id))
    return redirect(url_for("child.conversation", conversation_id=conversation.id, _anchor="now"))


def _render_chat(
    conversation: Conversation,
    *,
    error: AnswerError | None = None,
    typed: list[str] | None = None,
    conflict: bool = False,
    kept: bool = False,
    status: int = 200,
    only: str | None = None,
):
    flow = conversations.flow_of(conversation)
    state = conversation.state
    node = flow.node(only) if only else engine.current_node(flow, state)
    done, total = engine.progress(flow, state)
    values = typed if typed is not None else _prefill(conversation, flow, state, node)
    return render_template(
        "child/chat.html",
        conversation=conversation,
        state=state,  # decoded once: ``conversation.state`` parses the JSON on every use
        flow=flow,
        turns=[] if only else engine.transcript(flow, state),
        node=node if node is not None and node.is_question else None,
        finished=engine.is_finished(flow, state),
        progress=(done, total),
        values=values,
        error=error,
        conflict=conflict,
        kept=kept,
        only=only,
        worried=conversations.draft_has_concern(conversation),
        form=CsrfOnlyForm(),
        autosave_seconds=current_app.config["VOICE_AUTOSAVE_SECONDS"],
    ), status


def _prefill(conversation: Conversation, flow, state: dict, node) -> list[str]:
    """What the box starts with: the words kept while the child typed (voice/chat/autosave.py),
    else the answer already given."""
    if node is None:
        return []
    kept = autosave.kept_for(conversation, node.id)
    return [kept] if kept is not None else engine.prefill_values(flow, state, node.id)


@bp.get("/chat/<uuid:conversation_id>")
@child_required
def conversation(conversation_id: uuid.UUID):
    conv = _conversation(conversation_id)
    if pictures.is_picture_flow(conversations.flow_of(conv)):
        return redirect(url_for("child.pictures_page", conversation_id=conv.id))
    if not conv.is_open:
        return _to_sent(conv)
    return _render_chat(conv)[0]


@bp.post("/chat/<uuid:conversation_id>")
@child_required
def answer(conversation_id: uuid.UUID):
    conv = _conversation(conversation_id)
    form = CsrfOnlyForm()
    if not form.validate_on_submit():
        abort(400)
    if not conv.is_open:
        return _to_sent(conv)
    node_id = request.form.get("node", "")[:64]
    typed = request.form.getlist("answer")
    result = conversations.apply(
        conv,
        based_on=posted_version(request.form.get("version")),
        action=request.form.get("action", "answer"),
        node_id=node_id,
        values=typed,
    )
    back_to_review = request.form.get("then") == "review"
    if result.error is not None:
        return _render_chat(
            conv, error=result.error, typed=typed, status=400, only=node_id if back_to_review else None
        )
    if result.conflict:
        return _render_chat(conv, conflict=True, typed=typed, status=409)
    if back_to_review:
        return redirect(url_for("child.review", conversation_id=conv.id))
    return redirect(url_for("child.conversation", conversation_id=conv.id, _anchor="now"))


def with_carried_words(carried: carry.Carried, *, status: int = 200):
    """The signed-in child's chat with words that could not be saved back in the box (see
    voice/web/child/carry.py): on the question they were typed for, or, if the chat has moved on,
    as after a conflict. None unless it is their own conversation and still open."""
    if carried.kind != "chat":
        return None
    conv = conversations.owned(g.child, carried.conversation_id)
    if conv is None or not conv.is_open:
        return None
    flow = conversations.flow_of(conv)
    typed = list(carried.answers)
    if carried.then == "review" and carried.node in conv.state.get("answers", {}) and flow.get(carried.node):
        return _render_chat(conv, typed=typed, kept=True, only=carried.node, status=status)
    current = engine.current_node(flow, conv.state)
    if current is None or current.id != carried.node:
        return _render_chat(conv, conflict=True, typed=typed, status=409)
    return _render_chat(conv, typed=typed, kept=True, status=status)


keep_words("child.answer", "conversation_id", carry.from_answer_post, with_carried_words)


@bp.get("/chat/<uuid:conversation_id>/change/<string:node_id>")
@child_required
def change(conversation_id: uuid.UUID, node_id: str):
    conv = _conversation(conversation_id)
    flow = conversations.flow_of(conv)
    if not conv.is_open:
        return _to_sent(conv)
    if node_id not in conv.state.get("answers", {}) or flow.get(node_id) is None:
        abort(404)
    return _render_chat(conv, only=node_id)[0]


@bp.get("/chat/<uuid:conversation_id>/review")
@child_required
def review(conversation_id: uuid.UUID):
    conv = _conversation(conversation_id)
    if not conv.is_open:
        return _to_sent(conv)
    flow = conversations.flow_of(conv)
    items = engine.review_items(flow, conv.state)
    sharing = conv.sharing
    return render_template(
        "child/review.html",
        conversation=conv,
        conversation_flow=flow,
        answered=[i for i in items if not i.skipped],
        skipped=[i for i in items if i.skipped],
        everyone=sharing.get(conversations.EVERY_ANSWER, conversations.SHARE_DEFAULT),
        own_choice={i.node_id: sharing[i.node_id] for i in items if i.node_id in sharing},
        choices=SHARE_CHOICES,
        finished=engine.is_finished(flow, conv.state),
        worried=conversations.draft_has_concern(conv),
        form=CsrfOnlyForm(),
    )


@bp.post("/chat/<uuid:conversation_id>/review")
@child_required
def review_post(conversation_id: uuid.UUID):
    conv = _conversation(conversation_id)
    if not CsrfOnlyForm().validate_on_submit():
        abort(400)
    if not conv.is_open:
        return _to_sent(conv)
    flow = conversations.flow_of(conv)
    node_ids = {item.node_id for item in engine.review_items(flow, conv.state)}
    # Only the known share-<node> fields are read: extra fields can set nothing.
    each = {n: request.form.get(f"share-{n}", "") for n in node_ids if f"share-{n}" in request.form}
    conversations.save_sharing(conv, request.form.get("share-all"), each)
    edit = request.form.get("edit", "")
    if edit in node_ids:
        return redirect(url_for("child.change", conversation_id=conv.id, node_id=edit))
    if request.form.get("action") == "send":
        submission = sending.send(conv, language=str(get_locale()))
        return redirect(url_for("child.sent", submission_id=submission.id))
    flash(_("Saved. You can come back and send it later."))
    return redirect(url_for("child.review", conversation_id=conv.id))


def _to_sent(conv: Conversation):
    submission = conversations.submission_of(conv)
    if submission is None:
        abort(404)
    return redirect(url_for("child.sent", submission_id=submission.id))
