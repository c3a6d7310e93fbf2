""" "All about me": the picture profile of a picture-journey submission, on screen, as PDF and
as JSON, beside the answers; and the drawing or voice note that came with it."""

from __future__ import annotations

import json
import uuid

from flask import Response, abort, g, render_template, request

from voice import audit
from voice.auth.permissions import staff_required
from voice.chat import media
from voice.extensions import db
from voice.inbox import export, profile, reading
from voice.models import Submission
from voice.web.downloads import attachment
from voice.web.staff import bp
from voice.web.staff.inbox_views import _submission


def _profile(submission: Submission, purpose: str):
    """The picture profile of a submission already loaded through the scoped ``_submission``."""
    if not profile.is_picture_submission(submission):
        abort(404)
    view = reading.open_for_reading(g.staff, submission, route=request.endpoint or "", purpose=purpose)
    answers = [answer for group in view.topics.values() for answer in group]
    shown = {answer.node_id for answer in answers}
    kept = {
        node_id: item
        for node_id, item in media.of_submission(submission).items()
        if node_id in shown or (item.kind == "voice" and shown)  # voice: as private as an answer
    }
    return view, profile.build(submission, answers, kept)


@bp.get("/submissions/<uuid:submission_id>/about-me")
@staff_required("read_submissions")
def about_me(submission_id: uuid.UUID):
    view, about = _profile(_submission(submission_id), "profile")
    return render_template("staff/about_me.html", view=view, about=about)


@bp.get("/submissions/<uuid:submission_id>/about-me.pdf")
@staff_required("read_submissions")
def about_me_pdf(submission_id: uuid.UUID):
    view, about = _profile(_submission(submission_id), "export-profile-pdf")
    pdf = export.pdf_from_html(render_template("staff/about_me_print.html", view=view, about=about))
    return attachment(pdf, "application/pdf", f"{view.submission.reference}-about-me.pdf")


@bp.get("/submissions/<uuid:submission_id>/about-me.json")
@staff_required("read_submissions")
def about_me_json(submission_id: uuid.UUID):
    view, about = _profile(_submission(submission_id), "export-profile-json")
    body = json.dumps(profile.as_json(about), ensure_ascii=False, indent=2)
    return attachment(body, "application/json", f"{view.submission.reference}-about-me.json")


@bp.get("/submissions/<uuid:submission_id>/media/<uuid:media_id>")
@staff_required("read_submissions")
def submission_media(submission_id: uuid.UUID, media_id: uuid.UUID):
    """A drawing or voice note, only to someone who may read the submission. Audited."""
    _view, about = _profile(_submission(submission_id), "media")
    found = next((m for m in (about.drawing, about.voice_note) if m is not None and m.id == media_id), None)
    if found is None:
        abort(404)
    audit.record(
        "media.opened", actor=g.staff, child_ref=about.submission.child.ref,
        object_type="child_media", object_id=found.id, route=request.endpoint,
    )  # fmt: skip
    db.session.commit()
    return Response(
        found.data,
        mimetype=found.mime,
        headers={
            "Cache-Control": "no-store",
            "Content-Disposition": "inline",
            "X-Content-Type-Options": "nosniff",
        },
    )
