"""The staff inbox, reading a submission, replying, outcomes and exports."""

from __future__ import annotations

import json
import uuid

from flask import Response, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from voice import audit
from voice.auth.permissions import staff_required
from voice.chat.present import topic_title
from voice.content import registry
from voice.extensions import db
from voice.inbox import export, filing, queries, reading
from voice.inbox.scope import find_submission
from voice.models import Submission
from voice.safeguarding import alert_list
from voice.web.staff import bp
from voice.web.staff.forms import EmptyForm, OutcomeForm, ReplyForm


def _submission(submission_id: uuid.UUID) -> Submission:
    submission = find_submission(g.staff, submission_id)
    if submission is None:
        audit.record(
            "authz.denied",
            actor=g.staff,
            object_type="submission",
            object_id=submission_id,
            route=request.endpoint,
        )
        db.session.commit()
        abort(404)
    return submission


def _page_number() -> int:
    raw = request.args.get("page", "1")
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 7 else 1


def _filters() -> queries.InboxFilters:
    return queries.InboxFilters.from_args(request.args)


@bp.get("/")
@staff_required("inbox")
def home():
    return render_template(
        "staff/inbox.html",
        staff=g.staff,
        inbox=queries.inbox(g.staff, page=_page_number(), filters=_filters()),
        filters=_filters(),
        alerts=queries.open_alerts(g.staff),
        seen_by_others=alert_list.seen_by_someone_else(g.staff),
        undelivered=queries.undelivered_count(g.staff),
    )


@bp.get("/inbox.csv")
@staff_required("inbox")
def inbox_csv():
    rows = queries.export_rows(g.staff, _filters())
    audit.record("inbox.exported", actor=g.staff, purpose="csv")
    db.session.commit()
    return Response(
        export.inbox_csv(rows, exported_by=g.staff),
        mimetype="text/csv",
        headers={"Content-Disposition": "attachment; filename=voice-inbox.csv"},
    )


def _key(raw: str | None) -> uuid.UUID:
    """The form's own key; a missing or broken one gets a fresh key (no double-post guard)."""
    try:
        return uuid.UUID(raw or "")
    except ValueError:
        return uuid.uuid4()


def _outcome_form(view: reading.ReadView) -> OutcomeForm:
    form = OutcomeForm(prefix="outcome", key=uuid.uuid4().hex)
    topics = registry.get("topics")
    form.topic.choices = [(t, topic_title(topics, t)) for t in view.topics] or [
        ("other", topic_title(topics, "other"))
    ]
    return form


@bp.get("/submissions/<uuid:submission_id>")
@staff_required("read_submissions")
def submission(submission_id: uuid.UUID):
    view = reading.open_for_reading(g.staff, _submission(submission_id), route=request.endpoint or "")
    return render_template(
        "staff/submission.html",
        view=view,
        reply_form=ReplyForm(prefix="reply", key=uuid.uuid4().hex),
        outcome_form=_outcome_form(view),
    )


@bp.post("/submissions/<uuid:submission_id>/reply")
@staff_required("reply")
def reply(submission_id: uuid.UUID):
    target = _submission(submission_id)
    form = ReplyForm(prefix="reply")
    if form.validate_on_submit():
        reading.reply(g.staff, target, form.body.data or "", key=_key(form.key.data))
        flash(_("Your reply was saved. The child will see it in My messages."))
        return redirect(url_for("staff.submission", submission_id=target.id))
    view = reading.open_for_reading(g.staff, target, route=request.endpoint or "")
    form.key.data = form.key.data or uuid.uuid4().hex
    return render_template(
        "staff/submission.html", view=view, reply_form=form, outcome_form=_outcome_form(view)
    ), 400


@bp.post("/submissions/<uuid:submission_id>/outcome")
@staff_required("record_outcomes")
def outcome(submission_id: uuid.UUID):
    target = _submission(submission_id)
    view = reading.open_for_reading(g.staff, target, route=request.endpoint or "", purpose="outcome")
    form = _outcome_form(view)
    if form.validate_on_submit():
        reading.reply(
            g.staff,
            target,
            form.body.data or "",
            kind="outcome",
            topic=form.topic.data,
            key=_key(form.key.data),
        )
        flash(_("The decision was recorded. The child will see it in My messages."))
        return redirect(url_for("staff.submission", submission_id=target.id))
    form.key.data = form.key.data or uuid.uuid4().hex
    return render_template(
        "staff/submission.html",
        view=view,
        reply_form=ReplyForm(prefix="reply", key=uuid.uuid4().hex),
        outcome_form=form,
    ), 400


@bp.post("/submissions/<uuid:submission_id>/filed")
@staff_required("reply")
def filed(submission_id: uuid.UUID):
    """The worker has copied this into the case record: retention counts from now."""
    target = _submission(submission_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    if filing.mark_filed(g.staff, target):
        flash(_("Marked as filed in the case record. Voice will delete its copy later."))
    return redirect(url_for("staff.submission", submission_id=target.id))


@bp.post("/submissions/<uuid:submission_id>/unfiled")
@staff_required("reply")
def unfiled(submission_id: uuid.UUID):
    """Marked as filed by mistake: back to waiting, and nothing will be deleted."""
    target = _submission(submission_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    if filing.unmark_filed(g.staff, target):
        flash(_("Marked as not filed yet. Voice keeps it until someone marks it filed."))
    return redirect(url_for("staff.submission", submission_id=target.id))


@bp.get("/submissions/<uuid:submission_id>/print")
@staff_required("read_submissions")
def print_view(submission_id: uuid.UUID):
    view = reading.open_for_reading(
        g.staff, _submission(submission_id), route=request.endpoint or "", purpose="export-print"
    )
    return render_template("staff/print.html", view=view)


@bp.get("/submissions/<uuid:submission_id>/export.pdf")
@staff_required("read_submissions")
def export_pdf(submission_id: uuid.UUID):
    view = reading.open_for_reading(
        g.staff, _submission(submission_id), route=request.endpoint or "", purpose="export-pdf"
    )
    pdf = export.pdf_from_html(render_template("staff/print.html", view=view, for_pdf=True))
    return Response(
        pdf,
        mimetype="application/pdf",
        headers={"Content-Disposition": f"attachment; filename=voice-{view.submission.reference}.pdf"},
    )


@bp.get("/submissions/<uuid:submission_id>/export.json")
@staff_required("read_submissions")
def export_json(submission_id: uuid.UUID):
    view = reading.open_for_reading(
        g.staff, _submission(submission_id), route=request.endpoint or "", purpose="export-json"
    )
    body = json.dumps(export.as_json(view.record), ensure_ascii=False, indent=2)
    return Response(
        body,
        mimetype="application/json",
        headers={"Content-Disposition": f"attachment; filename=voice-{view.submission.reference}.json"},
    )
