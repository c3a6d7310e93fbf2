"""My messages: what the child sent, whether it was read, and the answers they got."""

from __future__ import annotations

import uuid

from flask import abort, current_app, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _

from voice.auth.permissions import child_required
from voice.chat import messages
from voice.content import registry
from voice.models import Submission
from voice.reviews import calendar
from voice.web.child import bp, carry
from voice.web.child.forms import AnswerReplyForm, ReplyTextsForm
from voice.web.child.keeping import keep_words


def _messages_page(texts: ReplyTextsForm, status: int = 200):
    return render_template(
        "child/messages.html",
        items=messages.for_child(g.child),
        unseen=messages.unseen_replies(g.child),
        decisions=calendar.decisions_for_child(g.child),
        texts=texts,
    ), status


@bp.get("/messages")
@child_required
def my_messages():
    child = g.child
    return _messages_page(ReplyTextsForm(mobile=child.mobile, agree=child.reply_texts_consent))[0]


@bp.post("/messages/texts")
@child_required
def reply_texts():
    form = ReplyTextsForm()
    if form.validate_on_submit():
        messages.set_reply_texts(g.child, agree=bool(form.agree.data), mobile=form.mobile.data)
        flash(
            _("Saved. We will text you when someone writes back.")
            if form.agree.data
            else _("Saved. No texts.")
        )
        return redirect(url_for("child.my_messages"))
    return _messages_page(form, status=400)


def _owned(submission_id: uuid.UUID) -> Submission:
    submission = messages.owned(g.child, submission_id)
    if submission is None:
        abort(404)
    return submission


def _message_page(submission: Submission, form: AnswerReplyForm, status: int = 200, *, kept: bool = False):
    view = messages.view(submission)
    safety = registry.get("pages")["safety-after-send"] if view.thread and view.thread[-1].concern else None
    return render_template(
        "child/message.html",
        submission=submission,
        view=view,
        form=form,
        kept=kept,
        safety=safety,
        safety_body=safety.html(out_of_hours_phone=current_app.config["VOICE_OUT_OF_HOURS_PHONE"])
        if safety
        else None,
    ), status


@bp.get("/messages/<uuid:submission_id>")
@child_required
def message(submission_id: uuid.UUID):
    return _message_page(_owned(submission_id), AnswerReplyForm(key=uuid.uuid4().hex))[0]


@bp.post("/messages/<uuid:submission_id>/answer")
@child_required
def answer_reply(submission_id: uuid.UUID):
    submission = _owned(submission_id)
    form = AnswerReplyForm()
    if form.validate_on_submit():
        messages.answer(g.child, submission, form.body.data or "", key=_key(form.key.data))
        flash(_("Sent. %(name)s will see your answer.", name=messages.worker_name(submission)))
        return redirect(url_for("child.message", submission_id=submission.id, _anchor="thread"))
    form.key.data = form.key.data or uuid.uuid4().hex
    return _message_page(submission, form, status=400)


def _key(raw: str | None) -> uuid.UUID:
    """The form's own key; a missing or broken one gets a fresh key (no double-tap guard)."""
    try:
        return uuid.UUID(raw or "")
    except ValueError:
        return uuid.uuid4()


def with_carried_reply(carried: carry.Carried, *, status: int = 200):
    """The signed-in child's own message with the words that could not be sent back in the
    "Write back" box, unsent, with the same form key (see voice/web/child/carry.py). None when
    it is not a reply carried for one of their own messages."""
    submission = messages.owned(g.child, carried.conversation_id) if carried.kind == "reply" else None
    if submission is None:
        return None
    form = AnswerReplyForm(formdata=None, body=carried.answers[0], key=carried.key or uuid.uuid4().hex)
    return _message_page(submission, form, status, kept=True)


keep_words("child.answer_reply", "submission_id", carry.from_reply_post, with_carried_reply)


@bp.get("/messages/<uuid:submission_id>/sent")
@child_required
def sent(submission_id: uuid.UUID):
    submission = _owned(submission_id)
    page = registry.get("pages")["sent"]
    safety = registry.get("pages")["safety-after-send"] if submission.concern else None
    return render_template(
        "child/sent.html",
        submission=submission,
        page=page,
        body=page.html(worker=messages.worker_name(submission)),
        safety=safety,
        safety_body=safety.html(out_of_hours_phone=current_app.config["VOICE_OUT_OF_HOURS_PHONE"])
        if safety
        else None,
    )
