"""Upcoming reviews, the review pack, moving and recording a review, and importing from the
case system. Thin: the work is in voice/reviews."""

from __future__ import annotations

from flask import current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from voice import errors
from voice.auth.permissions import has_ability, staff_required
from voice.models import Review
from voice.reviews import calendar, importer, uploads
from voice.web.staff import bp
from voice.web.staff.forms import ImportConfirmForm, ImportUploadForm, ReviewMoveForm, ReviewRecordForm
from voice.web.staff.lookups import not_found


def _review(review_id: int) -> Review:
    review = calendar.find_review(g.staff, review_id)
    if review is None:
        not_found("review", review_id)
    return review


@bp.get("/reviews")
@staff_required("reviews")
def reviews():
    rows = calendar.upcoming(days=56, staff=g.staff)
    return render_template(
        "staff/reviews.html", rows=rows, can_move=has_ability(g.staff, "move_reviews"), today=calendar.today()
    )


@bp.get("/reviews/<int:review_id>/pack")
@staff_required("reviews")
def review_pack(review_id: int):
    return render_template("staff/review_pack.html", pack=calendar.pack(_review(review_id), by=g.staff))


@bp.route("/reviews/<int:review_id>/move", methods=["GET", "POST"])
@staff_required("move_reviews")
def move_review(review_id: int):
    review = _review(review_id)
    form = ReviewMoveForm()
    if form.validate_on_submit():
        try:
            calendar.move(review, form.due_on.data, form.reason.data or "", by=g.staff)
        except calendar.ReviewError as exc:
            form.due_on.errors.append(str(exc))
        else:
            flash(_("Review moved. The consultation follows the new date."))
            return redirect(url_for("staff.reviews"))
    if request.method == "GET":
        form.due_on.data = review.due_on
    return render_template(
        "staff/review_move.html", review=review, form=form, changes=calendar.changes(review)
    )


@bp.route("/reviews/<int:review_id>/record", methods=["GET", "POST"])
@staff_required("record_reviews")
def record_review(review_id: int):
    review = _review(review_id)
    form = ReviewRecordForm()
    if form.validate_on_submit():
        try:
            following = calendar.record_held(review, form.held_on.data, form.decision.data or "", by=g.staff)
        except calendar.ReviewError as exc:
            form.decision.errors.append(str(exc))
        else:
            flash(
                _(
                    "Recorded. The child will see the decision in My messages. Next review: %(day)s",
                    day=following.due_on.isoformat(),
                )
            )
            return redirect(url_for("staff.reviews"))
    if request.method == "GET":
        form.held_on.data = calendar.today()
    return render_template("staff/review_record.html", review=review, form=form)


@bp.route("/reviews/import", methods=["GET", "POST"])
@staff_required("import_children")
def review_import():
    limit = current_app.config["VOICE_IMPORT_MAX_BYTES"]
    form = ImportUploadForm()
    if form.validate_on_submit():
        data = form.csv_file.data.read(limit + 1)
        try:
            report = importer.run(data, dry_run=True, by=g.staff, max_bytes=limit)
        except importer.ImportRefused as exc:
            form.csv_file.errors.append(str(exc))
        else:
            confirm = ImportConfirmForm(upload=uploads.keep(data))
            return render_template("staff/review_import_preview.html", report=report, confirm=confirm)
    return render_template("staff/review_import.html", form=form), 400 if form.errors else 200


@bp.post("/reviews/import/confirm")
@staff_required("import_children")
def review_import_confirm():
    form = ImportConfirmForm()
    data = uploads.load(form.upload.data or "") if form.validate_on_submit() else None
    if data is None:
        flash(_("That preview has expired. Upload the file again."))
        return redirect(url_for("staff.review_import"))
    report = importer.run(
        data, dry_run=False, by=g.staff, max_bytes=current_app.config["VOICE_IMPORT_MAX_BYTES"]
    )
    uploads.discard(form.upload.data or "")
    return render_template("staff/review_import_done.html", report=report)


def _upload_too_large():
    """Above the request limit (``VOICE_MAX_BODY_BYTES``) nothing reaches the view: say so here."""
    form = ImportUploadForm(formdata=None)
    limit = min(current_app.config["MAX_CONTENT_LENGTH"], current_app.config["VOICE_IMPORT_MAX_BYTES"])
    form.csv_file.errors = [importer.too_big_message(request.content_length or 0, limit)]
    return render_template("staff/review_import.html", form=form), 413


errors.TOO_LARGE_PAGES["staff.review_import"] = _upload_too_large
