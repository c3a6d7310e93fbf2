"""Children in Care Council studio: browse and preview content, propose changes.

Council members and staff with the ``studio`` ability use these pages; deciding and
publishing (``proposal_views``) is for the participation officer. Views stay thin: the
domain is in ``voice.studio.*`` and ``voice.content.versions``.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from voice import i18n
from voice.auth.permissions import council_or_staff_required
from voice.content import versions
from voice.studio import items, outcomes, people, proposals
from voice.web.studio import bp, changes, me, preview
from voice.web.studio.forms import AddFaqForm


def _item(kind: str, item_id: str) -> items.Item:
    found = items.find_item(versions.live_tree(), kind, item_id)
    if found is None:
        abort(404)
    return found


def _language() -> str:
    return i18n.supported(request.args.get("language")) or "en"


@bp.get("/")
@council_or_staff_required("studio")
def home():
    mine = proposals.listing(author=people.key_of(me()))
    return render_template(
        "studio/home.html",
        counts=proposals.counts(),
        live=versions.live_ref(),
        mine=mine[:5],
        waiting=proposals.listing(status="open")[:8],
        approved=proposals.listing(status="approved"),
        outcomes=outcomes.history()[:3],
        status_labels=proposals.STATUS_LABELS,
        can_publish=people.can_publish(me()),
    )


@bp.get("/content")
@council_or_staff_required("studio")
def content():
    everything = items.all_items(versions.live_tree())
    return render_template(
        "studio/content.html",
        everything=everything,
        kinds=items.KINDS,
        score=preview.score,
        feedback=preview.feedback(),
        feedback_for=preview.feedback_for,
    )


@bp.get("/content/<string:kind>/<path:item_id>")
@council_or_staff_required("studio")
def item(kind: str, item_id: str):
    found = _item(kind, item_id)
    language = _language()
    return render_template(
        "studio/item.html",
        item=found,
        kind=items.KINDS[kind],
        language=language,
        phone=preview.phone(found, versions.live_bundle(), language=language),
        score=preview.score(found),
        translations=preview.translations(found),
        feedback=preview.feedback_for(found, preview.feedback()),
        ops=items.KINDS[kind].ops_for(found),
        in_play=proposals.open_for_item(kind, found.id),
        op_labels=proposals.OP_LABELS,
    )


@bp.route("/content/<string:kind>/<path:item_id>/propose/<string:op>", methods=["GET", "POST"])
@council_or_staff_required("studio")
def propose(kind: str, item_id: str, op: str):
    found = _item(kind, item_id)
    if op not in items.KINDS[kind].ops_for(found):
        abort(404)
    form = changes.form_for(op, found, versions.live_tree(), request.args.get("field", "text"))
    if form is None:
        abort(404)
    problems: list[str] = []
    if form.validate_on_submit():
        try:
            made = proposals.propose(me(), kind, found.id, changes.change_from(op, form), form.why.data)
        except proposals.ProposalError as error:
            problems = error.problems
        else:
            flash(_("Thank you. Your idea is saved for everyone to see and talk about."))
            return redirect(url_for("studio.proposal", proposal_id=made.id))
    return render_template(
        "studio/propose.html",
        item=found,
        op=op,
        form=form,
        problems=problems,
        op_label=proposals.OP_LABELS[op],
        field=changes.field_of(form, found),
        in_play=proposals.open_for_item(kind, found.id),
    ), 400 if problems or form.errors else 200


@bp.route("/content/new-question-and-answer", methods=["GET", "POST"])
@council_or_staff_required("studio")
def propose_faq():
    form = AddFaqForm()
    problems: list[str] = []
    if form.validate_on_submit():
        try:
            made = proposals.propose(
                me(), "faq", "new", changes.new_faq(form, versions.live_tree()), form.why.data
            )
        except proposals.ProposalError as error:
            problems = error.problems
        else:
            flash(_("Thank you. Your new question is saved for everyone to see and talk about."))
            return redirect(url_for("studio.proposal", proposal_id=made.id))
    return render_template("studio/propose_faq.html", form=form, problems=problems), (
        400 if problems or form.errors else 200
    )
