"""My messages: what the child sent, whether it was read, and the answers they got."""

from __future__ import annotations

import uuid

from flask import abort, current_app, g, render_template

from voice.auth.permissions import child_required
from voice.chat import messages
from voice.content import registry
from voice.reviews import calendar
from voice.web.child import bp


@bp.get("/messages")
@child_required
def my_messages():
    return render_template(
        "child/messages.html",
        items=messages.for_child(g.child),
        decisions=calendar.decisions_for_child(g.child),
    )


@bp.get("/messages/<uuid:submission_id>")
@child_required
def message(submission_id: uuid.UUID):
    submission = messages.owned(g.child, submission_id)
    if submission is None:
        abort(404)
    return render_template("child/message.html", submission=submission, view=messages.view(submission))


@bp.get("/messages/<uuid:submission_id>/sent")
@child_required
def sent(submission_id: uuid.UUID):
    submission = messages.owned(g.child, submission_id)
    if submission is None:
        abort(404)
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
